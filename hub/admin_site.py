"""The support staff's admin site: the hub's name on every page, one date format, the action
dropdown in Portuguese, staff kept in the admin when they log out, bad input answered with a
400, and a big table's unfiltered list sized by PostgreSQL's estimate instead of a count."""

from functools import update_wrapper

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import formats, timezone

from hub.paginator import EstimatedCountPaginator
from hub.request_values import parse_id

ACTION_PLACEHOLDER = "Selecione uma ação"
# A support action's confirmation lists what it acts on: a larger selection is refused whole
# ("Selecionar todas" on a 100,000-row list must not turn into 100,000 e-mails by accident).
MAX_SELECTED = 100
# The field a confirmation step posts back "sim" in: an action runs only with that answer.
CONFIRM_FIELD = "confirmado"


def when(moment) -> str:
    """A date and time as the admin shows them everywhere: "03/12/2026 14:05", São Paulo time.

    pt-BR's SHORT_DATETIME_FORMAT; Django's default for a model field (DATETIME_FORMAT) would
    say "3 de dezembro de 2026 às 14:05", too long for a list cell.
    """
    if moment is None:
        return "—"
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def when_column(field: str, description: str, *, ordering: str | None = None):
    """A ModelAdmin column (or read-only field) showing the row's date and time ``field``
    through ``when``: ``created_column = when_column("created_at", "criada em")``."""

    @admin.display(description=description, ordering=ordering)
    def column(modeladmin, obj) -> str:
        return when(getattr(obj, field))

    return column


def selected_rows(modeladmin, request: HttpRequest, queryset, *, noun: str, purpose: str):
    """The rows an admin action was asked to act on; None, and the user told why, when more
    than MAX_SELECTED were picked (``noun`` "notificações", ``purpose`` "reprocessar")."""
    rows = list(queryset[: MAX_SELECTED + 1])
    if len(rows) > MAX_SELECTED:
        modeladmin.message_user(
            request,
            f"Selecione no máximo {MAX_SELECTED} {noun} por vez para {purpose}.",
            messages.ERROR,
        )
        return None
    return rows


def confirmed(request: HttpRequest) -> bool:
    """Whether the request answers a confirmation step "sim"."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "sim"


def model_page(
    request: HttpRequest,
    modeladmin: admin.ModelAdmin,
    template: str,
    context: dict,
    *,
    status: int = 200,
) -> TemplateResponse:
    """A hub page under a model's admin (a child of ``admin/hub/model_page.html``: a support
    action's confirmation, the overview): the site's context, the model's breadcrumbs and media,
    and the page's own ``context``, its ``title`` included."""
    opts = modeladmin.model._meta
    request.current_app = modeladmin.admin_site.name
    page = {
        **modeladmin.admin_site.each_context(request),
        "subtitle": None,
        "opts": opts,
        "app_label": opts.app_label,
        "media": modeladmin.media,
        # Where a confirmation posts the selection back as the list's action form does.
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "confirm_field": CONFIRM_FIELD,
        **context,
    }
    return TemplateResponse(request, template, page, status=status)


class LongListMixin:
    """For the list of a table that only grows (events, attempts, orders, notifications): no
    exact count of a filtered list and no facet counts (each a scan of the table on every page),
    100 rows a page."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 100


class ReadOnlyRowsMixin:
    """For a ModelAdmin or inline whose rows no one adds or edits here (support acts through
    the admin actions and services, which leave the trace)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        # Every field shown is read-only: a column that is a method, not a model field, can only
        # be shown as one.
        shown = flatten_fieldsets(self.fieldsets) if self.fieldsets else self.fields or ()
        return list(dict.fromkeys([*super().get_readonly_fields(request, obj), *shown]))


class HubAdminMixin:
    """For every ModelAdmin on the site (``HubAdminSite.register`` mixes it in)."""

    # A big table's unfiltered list shows PostgreSQL's estimate of its size, not a count.
    paginator = EstimatedCountPaginator

    def to_field_allowed(self, request, to_field):
        # ``?_to_field=+`` names the hidden reverse relation of a ``related_name="+"`` (the
        # user's, from events and attempts), and Django's check then reads a ``primary_key`` it
        # does not have: a 500. Only a real column of this model can be referenced.
        try:
            field = self.opts.get_field(to_field)
        except FieldDoesNotExist:
            return False
        return field.concrete and super().to_field_allowed(request, to_field)

    def get_action_choices(
        self, request, default_choices=None, action_location=admin.ActionLocation.CHANGE_LIST
    ):
        # Django's blank choice reads "- Select an option -", which pt-BR leaves untranslated.
        return super().get_action_choices(
            request, default_choices or [("", ACTION_PLACEHOLDER)], action_location
        )


class HubAdminSite(admin.AdminSite):
    site_header = "Hub de Integrações — Suporte"
    site_title = "Hub de Integrações — Suporte"
    index_title = "Administração"
    # Django's is "-", the hub's cells and fields say "—" for nothing.
    empty_value_display = "—"
    # The app list beside every page would leave a 1366 px screen too little for the lists; the
    # index and the breadcrumbs lead everywhere it did.
    enable_nav_sidebar = False
    logout_template = "admin/hub/logged_out.html"
    # "Ver o site" would lead staff, who belong to no seller, to the sellers' 403 page.
    site_url = None

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin on the site takes ``HubAdminMixin``: the project's own, Django's and
        third-party apps' (axes registers its own) alike, without each having to remember it."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, HubAdminMixin):
            admin_class = type(admin_class.__name__, (HubAdminMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def admin_view(self, view, cacheable=False):
        """Every admin page, guarded against a malformed row selection.

        An action fetches the ticked rows with ``pk__in=<the posted values>``: "²" or "①" pass
        ``str.isdigit`` and then break ``int()`` (a 500). Only ASCII digits go through.
        """
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args, **kwargs):
            selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
            if request.method == "POST" and not all(parse_id(value) for value in selected):
                return self._bad_selection(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def logout(self, request, extra_context=None):
        """Django's admin logout, ending on the admin's own "logged out" page.

        LogoutView would follow LOGOUT_REDIRECT_URL, the sellers' login; it renders its page
        instead when the redirect target is the request itself (``LogoutView.post``).
        """
        # Imported here, as Django's own AdminSite.logout does: this module loads with the apps.
        from django.contrib.auth.views import LogoutView

        request.current_app = self.name
        return LogoutView.as_view(
            next_page=request.get_full_path(),
            template_name=self.logout_template,
            extra_context={
                **self.each_context(request),
                # The user is still logged in while the context is built.
                "has_permission": False,
                **(extra_context or {}),
            },
        )(request)

    def _bad_selection(self, request: HttpRequest) -> TemplateResponse:
        context = {
            **self.each_context(request),
            "title": "Pedido inválido",
            "message": "A seleção enviada não corresponde a linhas desta lista. Nada foi alterado.",
            "back_url": request.path,
        }
        return TemplateResponse(request, "admin/hub/bad_request.html", context, status=400)


class HubAdminConfig(AdminConfig):
    default_site = "hub.admin_site.HubAdminSite"
