"""The integrations list and page for support staff. Tokens are never shown, only a mask."""

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import path, reverse

from hub.admin_site import ReadOnlyRowsMixin, model_page, when_column
from integrations.admin import actions, display, health
from integrations.admin.filters import (
    MarketplaceFilter,
    OrderImportFilter,
    RecentErrorFilter,
    RecentEventFilter,
    SilentOrdersFilter,
    TokenExpiryFilter,
)
from integrations.admin.inlines import AuthorizationAttemptInline, IntegrationEventInline
from integrations.admin.overview import changelist_url, overview_context
from integrations.admin.paginator import TroubleFirstPaginator
from integrations.models import Integration
from integrations.push.admin import integration_push_cell
from integrations.selectors_support import integration_search, support_overview
from integrations.selectors_trouble import trouble_first_ordering
from integrations.services.notifications import reactivation_url


def _newest_errors_first(request: HttpRequest) -> bool:
    return request.GET.get(RecentErrorFilter.parameter_name) == RecentErrorFilter.YES


@admin.register(Integration)
class IntegrationAdmin(ReadOnlyRowsMixin, admin.ModelAdmin):
    # Five columns, each a few stacked lines: the list fits 1366 px with the filters beside it.
    list_display = [
        "seller_column",
        "account_column",
        "health_column",
        "token_column",
        "last_error_column",
    ]
    list_display_links = ["account_column"]
    # The pulse comes with the rows: the health of each needs no query of its own.
    list_select_related = ["seller", "order_pulse"]
    list_filter = [
        "status",
        MarketplaceFilter,
        TokenExpiryFilter,
        RecentErrorFilter,
        RecentEventFilter,
        SilentOrdersFilter,
        OrderImportFilter,
    ]
    # Shown to staff as the search box's scope; the search itself is get_search_results.
    search_fields = ["seller__name", "seller__cnpj", "external_id", "account_name"]
    search_help_text = (
        "Nome da empresa, CNPJ da empresa ou CNPJ/CPF da conta (com ou sem pontuação), id do "
        "tenant, razão social (com ou sem acentos) ou e-mail (com @) de um usuário da empresa."
    )
    # Trouble first (get_ordering); a column's header still sorts by that column.
    ordering = ["status", "access_token_expires_at"]
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # the overview has the counts
    list_per_page = 50
    actions = actions.ADMIN_ACTIONS
    inlines = [IntegrationEventInline, AuthorizationAttemptInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "seller",
                    "contacts_column",
                    "marketplace_column",
                    "account_name",
                    "account_document",
                    "external_id",
                ]
            },
        ),
        (
            "Token",
            {
                "fields": [
                    "status_column",
                    "health_column",
                    "steps_column",
                    "access_token_mask",
                    "refresh_token_mask",
                    "expires_column",
                    "renewed_column",
                    "scopes",
                    "reactivation_link_column",
                ]
            },
        ),
        ("Erros", {"fields": ["last_error", "last_error_at_column"]}),
        ("Pedidos e notificações", {"fields": ["push_column"]}),
        ("Registro", {"fields": ["public_id_column", "created_column", "updated_column"]}),
    ]

    class Media:
        js = ["hub/admin_copy.js"]

    # --- List columns (no query and no decryption per row) ------------------------------------

    def get_ordering(self, request):
        # "Com erro nas últimas 24 h" lists the newest errors first, read in that order from
        # integration_last_error_idx; in the usual order PostgreSQL walks integration_due_idx
        # past every row without an error (seconds at a million integrations).
        if _newest_errors_first(request):
            return ["-last_error_at"]
        return trouble_first_ordering()

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # The trouble-first order, unless a column's header or the error filter chose another.
        if ORDER_VAR in request.GET or _newest_errors_first(request):
            return super().get_paginator(
                request, queryset, per_page, orphans, allow_empty_first_page
            )
        return TroubleFirstPaginator(queryset, per_page, orphans, allow_empty_first_page)

    @admin.display(description="empresa", ordering="seller__name")
    def seller_column(self, integration: Integration) -> str:
        return display.seller_link(integration.seller)

    @admin.display(description="conta", ordering="account_name")
    def account_column(self, integration: Integration) -> str:
        return display.account_cell(integration)

    @admin.display(description="situação")
    def health_column(self, integration: Integration) -> str:
        return health.health_cell(integration)

    @admin.display(description="token", ordering="access_token_expires_at")
    def token_column(self, integration: Integration) -> str:
        return display.token_cell(integration)

    @admin.display(description="último erro", ordering="last_error_at")
    def last_error_column(self, integration: Integration) -> str:
        return display.error_cell(integration.last_error, integration.last_error_at)

    # --- Page fields ----------------------------------------------------------------------------

    @admin.display(description="contato da empresa")
    def contacts_column(self, integration: Integration) -> str:
        users = (
            get_user_model()
            .objects.filter(membership__seller=integration.seller_id)
            .order_by("-is_active", "first_name", "username")
        )
        return display.people(list(users))

    @admin.display(description="marketplace")
    def marketplace_column(self, integration: Integration) -> str:
        return integration.marketplace_name

    @admin.display(description="status")
    def status_column(self, integration: Integration) -> str:
        return display.status_badge(integration)

    @admin.display(description="próximos passos da empresa")
    def steps_column(self, integration: Integration) -> str:
        return health.seller_steps(integration)

    @admin.display(description="token de acesso")
    def access_token_mask(self, integration: Integration) -> str:
        return display.token_mask(integration, "access_token")

    @admin.display(description="token de renovação")
    def refresh_token_mask(self, integration: Integration) -> str:
        return display.token_mask(integration, "refresh_token")

    expires_column = when_column("access_token_expires_at", "token expira em")
    renewed_column = when_column("last_renewed_at", "última renovação")

    @admin.display(description="link de reativação")
    def reactivation_link_column(self, integration: Integration) -> str:
        if integration.is_active:
            return "— (a integração está Ativa)"
        return display.copyable(reactivation_url(integration), "Link de reativação")

    @admin.display(description="notificações")
    def push_column(self, integration: Integration) -> str:
        return integration_push_cell(integration)

    last_error_at_column = when_column("last_error_at", "último erro em")

    @admin.display(description="id público")
    def public_id_column(self, integration: Integration) -> str:
        return str(integration.public_id)

    created_column = when_column("created_at", "criada em")
    updated_column = when_column("updated_at", "atualizada em")

    # --- Search: through the trigram indexes (selectors_support); e-mails never duplicate rows --

    def get_search_results(self, request, queryset, search_term):
        return integration_search(queryset, search_term=search_term), False

    # --- Permissions: read-only for everyone (ReadOnlyRowsMixin); each action its own ----------

    def has_refresh_now_permission(self, request) -> bool:
        return request.user.has_perm("integrations.can_refresh_now")

    def has_mark_expired_permission(self, request) -> bool:
        return request.user.has_perm("integrations.can_mark_expired")

    def has_send_reactivation_link_permission(self, request) -> bool:
        return request.user.has_perm("integrations.can_send_reactivation_link")

    def has_disconnect_permission(self, request) -> bool:
        return request.user.has_perm("integrations.can_disconnect")

    # --- Extra pages: the overview and the actions on one integration ------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("visao-geral/", wrap(self.overview_view), name="{}_{}_overview".format(*info)),
            path(
                "<path:object_id>/acao/<slug:slug>/",
                wrap(self.action_view),
                name="{}_{}_action".format(*info),
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # What the health calls for first, then the other actions that apply.
            suggested = health.SUGGESTED_ACTION.get(health.health(obj).state)
            offered = [
                action
                for action in actions.SUPPORT_ACTIONS
                if request.user.has_perm(action.perm) and action.offered(obj)
            ]
            offered.sort(key=lambda action: action.name != suggested)
            context["support_actions"] = [
                {
                    "label": action.label,
                    "url": reverse(
                        "admin:integrations_integration_action", args=[obj.pk, action.slug]
                    ),
                    "suggested": action.name == suggested,
                }
                for action in offered
            ]
            context["full_history_url"] = changelist_url(
                "integrationevent", integration__id__exact=obj.pk
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "overview_url": reverse("admin:integrations_integration_overview"),
            # Django's "Selecione integração para visualizar" lacks its article in pt-BR.
            "title": "Selecione uma integração para ver",
        }
        return super().changelist_view(request, extra_context)

    def action_view(self, request: HttpRequest, object_id: str, slug: str):
        action = actions.ACTIONS_BY_SLUG.get(slug)
        integration = self.get_object(request, object_id)
        if action is None or integration is None:
            raise Http404
        if not self.has_view_permission(request, integration) or not request.user.has_perm(
            action.perm
        ):
            raise PermissionDenied
        page_url = reverse("admin:integrations_integration_change", args=[integration.pk])
        response = actions.confirm_or_run(
            request, self, action, [integration], from_list=False, cancel_url=page_url
        )
        return response or HttpResponseRedirect(page_url)

    def overview_view(self, request: HttpRequest):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {**overview_context(support_overview()), "title": "Visão geral do suporte"}
        return model_page(request, self, "admin/integrations/integration/overview.html", context)
