"""Support staff's view of integrations. Tokens are never shown: a mask and a fingerprint only."""

from django.contrib import admin
from django.utils.html import format_html

from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent


class IntegrationEventInline(admin.TabularInline):
    model = IntegrationEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "actor", "details"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    list_display = [
        "account_name", "seller", "marketplace", "status_badge", "access_token_expires_at",
        "last_renewed_at", "last_error",
    ]
    list_select_related = ["seller"]
    list_filter = ["status", "marketplace"]
    search_fields = ["account_name", "external_id", "seller__name", "seller__cnpj"]
    ordering = ["status", "access_token_expires_at"]
    readonly_fields = [
        "public_id", "access_token_masked", "refresh_token_masked", "access_token_expires_at",
        "scopes", "last_renewed_at", "last_error", "last_error_at", "created_at", "updated_at",
    ]
    fields = [
        "seller", "marketplace", "external_id", "account_name", "status",
        "access_token_masked", "refresh_token_masked", *readonly_fields[3:], "public_id",
    ]
    inlines = [IntegrationEventInline]

    @admin.display(description="status", ordering="status")
    def status_badge(self, integration: Integration) -> str:
        css = "active" if integration.is_active else "expired"
        return format_html(
            '<span class="hub-status hub-status--{}">{}</span>', css, integration.get_status_display()
        )

    @admin.display(description="access token")
    def access_token_masked(self, integration: Integration) -> str:
        return _mask(integration, "access_token")

    @admin.display(description="refresh token")
    def refresh_token_masked(self, integration: Integration) -> str:
        return _mask(integration, "refresh_token")


def _mask(integration: Integration, field: str) -> str:
    fingerprint = integration.token_fingerprint(field)
    return f"•••••••• (impressão digital {fingerprint})" if fingerprint else "—"


@admin.register(AuthorizationAttempt)
class AuthorizationAttemptAdmin(admin.ModelAdmin):
    list_display = [
        "created_at", "seller", "integration", "user", "outcome", "chosen_account_name",
        "chosen_external_id",
    ]
    list_select_related = ["seller", "integration", "user"]
    list_filter = ["outcome", "marketplace"]
    search_fields = ["seller__name", "chosen_external_id", "chosen_account_name"]
    readonly_fields = [
        "seller", "user", "integration", "marketplace", "created_at", "expires_at", "consumed_at",
        "outcome", "chosen_external_id", "chosen_account_name", "details",
    ]
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
