"""Authorization attempts, read-only, and "Aceitar esta conta" from a wrong or unverified one."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from hub.admin_site import LongListMixin, ReadOnlyRowsMixin, confirmed, model_page, when_column
from integrations.admin import display
from integrations.admin.filters import AttemptOutcomeFilter, MarketplaceFilter
from integrations.models import AuthorizationAttempt
from integrations.selectors_support import attempt_search
from integrations.services.support import (
    SupportActionRefused,
    acceptance_refusal,
    attempt_acceptable,
    chosen_account_taken,
    integration_accept_account,
)
from marketplaces import PROVIDERS, marketplace_name

ACCEPT_PERM = "integrations.can_accept_tenant"


def attempt_without_annotation(attempt: AuthorizationAttempt) -> AuthorizationAttempt:
    attempt.chosen_account_taken = None
    return attempt


def accept_label(attempt: AuthorizationAttempt) -> str:
    """The action's label, in the marketplace's own word for an account."""
    provider = PROVIDERS.get(attempt.marketplace)
    return f"Aceitar esta {provider.account_noun if provider else 'conta'}"


@admin.register(AuthorizationAttempt)
class AuthorizationAttemptAdmin(ReadOnlyRowsMixin, LongListMixin, admin.ModelAdmin):
    list_display = [
        "started_column",
        "seller_column",
        "integration_column",
        "outcome_column",
        "chosen_column",
        "accept_column",
    ]
    list_select_related = ["seller", "integration", "user"]
    list_filter = [AttemptOutcomeFilter, MarketplaceFilter, "created_at"]
    search_fields = ["seller__name", "seller__cnpj", "chosen_external_id", "chosen_account_name"]
    search_help_text = (
        "Empresa, CNPJ (com ou sem pontuação), conta escolhida (nome ou id), conta "
        "esperada ou e-mail de quem iniciou."
    )
    ordering = ["-created_at", "-id"]
    list_per_page = 50
    fields = [
        "seller",
        "user",
        "integration",
        "expected_column",
        "marketplace_column",
        "created_column",
        "expires_column",
        "consumed_column",
        "outcome_column",
        "chosen_account_name",
        "chosen_external_id",
        "offered_column",
        "details",
    ]
    created_column = when_column("created_at", "iniciada em", ordering="created_at")
    expires_column = when_column("expires_at", "válida até")
    consumed_column = when_column("consumed_at", "concluída em")

    @admin.display(description="contas oferecidas")
    def offered_column(self, attempt: AuthorizationAttempt) -> str:
        """One authorization for several accounts: each, and whether it was connected or why
        the hub refused it."""
        if not attempt.offered_accounts:
            return "—"
        return format_html_join(
            "",
            '<span class="hub-cell__line">{} ({}): {}</span>',
            (
                (
                    offer["name"],
                    offer["external_id"],
                    "conectada"
                    if offer["connected"]
                    else offer["reason"] or "oferecida, não escolhida",
                )
                for offer in attempt.offered_accounts
            ),
        )

    marketplace_column = display.marketplace_column

    @admin.display(description="iniciada", ordering="created_at")
    def started_column(self, attempt: AuthorizationAttempt) -> str:
        """When, and by whom: the row's link to its page."""
        user = attempt.user
        return format_html(
            '<span class="hub-cell__title">{}</span>'
            '<span class="hub-cell__line hub-muted">{}</span>'
            '<span class="hub-cell__line hub-muted">{}</span>',
            display.when(attempt.created_at),
            user.get_username() if user else "—",
            user.email if user else "",
        )

    @admin.display(description="empresa", ordering="seller__name")
    def seller_column(self, attempt: AuthorizationAttempt) -> str:
        return display.seller_link(attempt.seller)

    @admin.display(description="integração")
    def integration_column(self, attempt: AuthorizationAttempt) -> str:
        integration = attempt.integration
        if integration is None:
            return format_html(
                '<span class="hub-cell__kicker">{}</span>— (primeira conexão)',
                marketplace_name(attempt.marketplace),
            )
        url = reverse("admin:integrations_integration_change", args=[integration.pk])
        return display.account_cell(integration, url=url)

    @admin.display(description="conta esperada")
    def expected_column(self, attempt: AuthorizationAttempt) -> str:
        if attempt.integration is None:
            return "— (primeira conexão)"
        return display.account_cell(attempt.integration)

    @admin.display(description="resultado")
    def outcome_column(self, attempt: AuthorizationAttempt) -> str:
        return display.outcome_badge(attempt)

    @admin.display(description="conta escolhida")
    def chosen_column(self, attempt: AuthorizationAttempt) -> str:
        if not attempt.chosen_external_id and not attempt.chosen_account_name:
            return "—"
        kind = (
            f" · tipo {display.account_type(attempt.chosen_account_type)}"
            if attempt.chosen_account_type
            else ""
        )
        return format_html(
            '{}<span class="hub-cell__line hub-muted">{}{}</span>',
            attempt.chosen_account_name or "(sem nome)",
            attempt.chosen_external_id,
            kind,
        )

    @admin.display(description="ação")
    def accept_column(self, attempt: AuthorizationAttempt) -> str:
        if not attempt_acceptable(attempt):
            return ""
        url = reverse("admin:integrations_authorizationattempt_accept", args=[attempt.pk])
        return format_html(
            '<a class="hub-action-link" href="{}">{}…</a>', url, accept_label(attempt)
        )

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if not request.user.has_perm(ACCEPT_PERM):
            columns.remove("accept_column")
        return columns

    def get_queryset(self, request):
        # "Aceitar" is offered on a row only where it can work: no query per row for it.
        return super().get_queryset(request).annotate(chosen_account_taken=chosen_account_taken())

    def get_search_results(self, request, queryset, search_term):
        return attempt_search(queryset, search_term=search_term), False

    def get_urls(self):
        return [
            path(
                "<path:object_id>/aceitar-conta/",
                self.admin_site.admin_view(self.accept_view),
                name="integrations_authorizationattempt_accept",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["accept_label"] = accept_label(obj)
            context["accept_url"] = (
                reverse("admin:integrations_authorizationattempt_accept", args=[obj.pk])
                if attempt_acceptable(obj) and request.user.has_perm(ACCEPT_PERM)
                else ""
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def accept_view(self, request: HttpRequest, object_id: str):
        attempt = self.get_object(request, object_id)
        if attempt is None:
            raise Http404
        if not self.has_view_permission(request, attempt) or not request.user.has_perm(ACCEPT_PERM):
            raise PermissionDenied
        attempt_url = reverse("admin:integrations_authorizationattempt_change", args=[attempt.pk])
        if confirmed(request):
            try:
                integration = integration_accept_account(attempt_id=attempt.pk, actor=request.user)
            except SupportActionRefused as refusal:
                messages.warning(request, str(refusal))
                return HttpResponseRedirect(attempt_url)
            messages.success(
                request,
                f"“{integration.account_name}” agora é a conta esperada desta integração. "
                "Peça à empresa para reativar (ou use “Enviar link de reativação”).",
            )
            return HttpResponseRedirect(
                reverse("admin:integrations_integration_change", args=[integration.pk])
            )
        context = {
            "title": accept_label(attempt),
            "accept_label": accept_label(attempt),
            "marketplace_name": marketplace_name(attempt.marketplace),
            "in_screen": getattr(PROVIDERS.get(attempt.marketplace), "in_screen", "no marketplace"),
            "unverified": attempt.outcome == AuthorizationAttempt.Outcome.ACCOUNT_UNVERIFIED,
            "attempt": attempt,
            "chosen_when": display.when(attempt.created_at),
            # Read again, with the other integration's name where one holds the account.
            "refusal": acceptance_refusal(attempt_without_annotation(attempt)),
            "chosen_type": display.account_type(attempt.chosen_account_type),
            "cancel_url": attempt_url,
        }
        return model_page(
            request,
            self,
            "admin/integrations/authorizationattempt/accept_confirmation.html",
            context,
        )
