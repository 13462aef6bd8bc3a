"""Sellers, their members and the users' e-mails, as support staff need to see them; and the
admin pages Django and django-axes bring, in Portuguese.

A seller's CNPJ is set when the seller is created; afterwards only a superuser can change it.
"""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html

from hub.admin_invitations import InvitingUserAdminMixin
from hub.admin_site import when, when_column
from hub.models import Membership, Seller
from hub.search import search_terms, seller_search_q

User = get_user_model()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "user_email", "created_column"]
    readonly_fields = ["user_email", "created_column"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="e-mail")
    def user_email(self, membership: Membership) -> str:
        return membership.user.email if membership.pk else "—"

    created_column = when_column("created_at", "membro desde")


@admin.register(Seller)
class SellerAdmin(admin.ModelAdmin):
    list_display = ["name", "cnpj_display", "created_column"]
    search_fields = ["name", "cnpj"]
    search_help_text = (
        "Nome, CNPJ (com ou sem pontuação) ou e-mail (com @) de um usuário da empresa."
    )
    show_full_result_count = False
    inlines = [MembershipInline]

    @admin.display(description="CNPJ", ordering="cnpj")
    def cnpj_display(self, seller: Seller) -> str:
        return seller.cnpj_display

    created_column = when_column("created_at", "criada em", ordering="created_at")

    @admin.display(description="integrações")
    def integrations_link(self, seller: Seller) -> str:
        url = reverse("admin:integrations_integration_changelist")
        return format_html(
            '<a href="{}?seller__id__exact={}">Ver as integrações</a>', url, seller.pk
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "cnpj":
            # Room for the punctuated form ("11.222.333/0001-81"): the model stores the 14
            # characters and checks its own length after normalising.
            kwargs["max_length"] = 18
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["name", "cnpj"]
        # Once the seller exists, only a superuser may correct its CNPJ.
        cnpj = "cnpj" if request.user.is_superuser else "cnpj_display"
        return ["name", cnpj, "integrations_link"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "cnpj_display", "integrations_link"]

    def get_search_results(self, request, queryset, search_term):
        """CNPJ with or without punctuation, a member's e-mail (no duplicate rows) or the name."""
        for term in search_terms(search_term):
            queryset = queryset.filter(seller_search_q(term))
        return queryset, False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "user_email", "seller", "created_column"]
    list_select_related = ["user", "seller"]
    search_fields = ["user__username", "user__email", "seller__name", "seller__cnpj"]
    autocomplete_fields = ["user", "seller"]

    @admin.display(description="e-mail", ordering="user__email")
    def user_email(self, membership: Membership) -> str:
        return membership.user.email

    created_column = when_column("created_at", "criado em", ordering="created_at")


# --- Django's users and groups ------------------------------------------------------------------

_BUILTIN_PERMISSION_VERBS = {
    "add": "adicionar",
    "change": "alterar",
    "delete": "remover",
    "view": "ver",
}
# Set by Django on sign-up and login; shown read-only, in the admin's date format.
_USER_DATES = {"last_login": "last_login_column", "date_joined": "date_joined_column"}


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    """Django names its built-in permissions in English in the database ("Can view log entry");
    they are shown from the codename and the model's Portuguese name instead."""

    def label_from_instance(self, permission) -> str:
        model = permission.content_type.model_class()
        if model is None:
            return str(permission)
        action, _, model_name = permission.codename.partition("_")
        name = permission.name
        if action in _BUILTIN_PERMISSION_VERBS and model_name == model._meta.model_name:
            name = f"Pode {_BUILTIN_PERMISSION_VERBS[action]} {model._meta.verbose_name}"
        return f"{model._meta.app_config.verbose_name} | {model._meta.verbose_name} | {name}"


class PortuguesePermissionsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in {"permissions", "user_permissions"}:
            kwargs["form_class"] = PermissionChoiceField
            kwargs["queryset"] = db_field.remote_field.model.objects.select_related("content_type")
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class HubUserAdmin(InvitingUserAdminMixin, PortuguesePermissionsMixin, UserAdmin):
    """Django's user admin plus the seller each user belongs to; a new user is invited."""

    list_display = [*UserAdmin.list_display, "seller_column"]
    list_select_related = ["membership__seller"]
    search_fields = [*UserAdmin.search_fields, "membership__seller__name"]
    fieldsets = [
        (
            title,
            {**options, "fields": [_USER_DATES.get(field, field) for field in options["fields"]]},
        )
        for title, options in UserAdmin.fieldsets
    ]
    readonly_fields = list(_USER_DATES.values())

    @admin.display(description="empresa", ordering="membership__seller__name")
    def seller_column(self, user) -> str:
        membership = getattr(user, "membership", None)
        return membership.seller.name if membership else "—"

    last_login_column = when_column("last_login", "último login")
    date_joined_column = when_column("date_joined", "cadastrado em")


@admin.register(Group)
class HubGroupAdmin(PortuguesePermissionsMixin, GroupAdmin):
    pass


# --- django-axes: logins and lockouts (superusers only) ----------------------------------------


def _name_in_portuguese(model, singular: str, plural: str, fields: dict[str, str]) -> None:
    """django-axes ships no pt-BR catalog, so its names are set here, for display only:
    migrations read the names a model was declared with (``Options.original_attrs``,
    ``Field._verbose_name``), so its schema is untouched."""
    model._meta.verbose_name = singular
    model._meta.verbose_name_plural = plural
    for name, label in fields.items():
        model._meta.get_field(name).verbose_name = label


def _access_name(access) -> str:
    """A login row's name, the title of its page (axes' own is English; axes never prints it)."""
    return f"{access.username or '—'} em {when(access.attempt_time)}"


_ACCESS_FIELDS = {
    "user_agent": "navegador",
    "ip_address": "endereço IP",
    "username": "usuário digitado",
    "http_accept": "cabeçalho Accept",
    "path_info": "caminho",
    "attempt_time": "data e hora",
}
_REQUEST_FIELDSET = ("Requisição", {"fields": ["user_agent", "ip_address", "http_accept"]})


class LockedOutFilter(axes_admin.IsLockedOutFilter):
    title = "bloqueio"


# Axes' columns that hold a time, each shown by ours in the admin's one format.
_TIME_COLUMNS = {
    "attempt_time": "attempt_time_column",
    "logout_time": "logout_column",
    "expiration": "expiration_column",
}


class _AccessAdminBase:
    # The list filter "data e hora" does the same job, in Portuguese ("Filter by" is not in
    # Django's pt-BR catalog yet).
    date_hierarchy = None

    attempt_time_column = when_column("attempt_time", "data e hora", ordering="attempt_time")

    # Axes' own columns and read-only fields (they follow its settings), with ours in place of
    # its times.
    def get_list_display(self, request):
        return [_TIME_COLUMNS.get(name, name) for name in super().get_list_display(request)]

    def get_readonly_fields(self, request, obj=None):
        shown = super().get_readonly_fields(request, obj)
        return [_TIME_COLUMNS.get(name, name) for name in shown]


class AccessAttemptAdmin(_AccessAdminBase, axes_admin.AccessAttemptAdmin):
    # Axes' own filters, the lock-out one in Portuguese.
    list_filter = [
        LockedOutFilter if item is axes_admin.IsLockedOutFilter else item
        for item in axes_admin.AccessAttemptAdmin.list_filter
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "username",
                    "path_info",
                    "failures_since_start",
                    "attempt_time_column",
                    "expiration_column",
                ]
            },
        ),
        ("Dados do formulário", {"fields": ["get_data", "post_data"]}),
        _REQUEST_FIELDSET,
    ]

    @admin.action(description="Apagar as tentativas vencidas")
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"Tentativas vencidas apagadas: {count}.")

    @admin.display(description="vence em")
    def expiration_column(self, attempt) -> str:
        expiration = getattr(attempt, "expiration", None)
        return when(expiration.expires_at if expiration else None)

    @admin.display(description="situação")
    def status(self, attempt) -> str:
        left = axes_admin.settings.AXES_FAILURE_LIMIT - attempt.failures_since_start
        return f"Restam {left} tentativa(s)" if left > 0 else "Bloqueado"


class AccessLogAdmin(_AccessAdminBase, axes_admin.AccessLogAdmin):
    fieldsets = [
        (None, {"fields": ["username", "path_info", "attempt_time_column", "logout_column"]}),
        _REQUEST_FIELDSET,
    ]

    logout_column = when_column("logout_time", "saiu em", ordering="logout_time")


class AccessFailureLogAdmin(_AccessAdminBase, axes_admin.AccessFailureLogAdmin):
    fieldsets = [
        (None, {"fields": ["username", "path_info", "attempt_time_column", "locked_out"]}),
        _REQUEST_FIELDSET,
    ]


# Axes registers its admins unless AXES_ENABLE_ADMIN is off; ours replace them.
if admin.site.is_registered(AccessAttempt):
    apps.get_app_config("axes").verbose_name = "Proteção do login"
    _name_in_portuguese(
        AccessAttempt,
        "tentativa de login",
        "tentativas de login",
        {
            **_ACCESS_FIELDS,
            "get_data": "dados GET",
            "post_data": "dados POST",
            "failures_since_start": "falhas seguidas",
        },
    )
    _name_in_portuguese(
        AccessAttemptExpiration,
        "vencimento de tentativa de login",
        "vencimentos de tentativas de login",
        {"access_attempt": "tentativa de login", "expires_at": "vence em"},
    )
    _name_in_portuguese(
        AccessLog,
        "login realizado",
        "logins realizados",
        {**_ACCESS_FIELDS, "logout_time": "saída", "session_hash": "hash da sessão"},
    )
    _name_in_portuguese(
        AccessFailureLog,
        "falha de login",
        "falhas de login",
        {**_ACCESS_FIELDS, "locked_out": "bloqueio"},
    )
    for model, model_admin in (
        (AccessAttempt, AccessAttemptAdmin),
        (AccessLog, AccessLogAdmin),
        (AccessFailureLog, AccessFailureLogAdmin),
    ):
        model.__str__ = _access_name
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
