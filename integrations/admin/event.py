"""The full, append-only history of every integration, read-only for everyone."""

from django.contrib import admin
from django.utils.html import format_html

from hub.admin_site import LongListMixin, ReadOnlyRowsMixin, when_column
from integrations.models import IntegrationEvent


@admin.register(IntegrationEvent)
class IntegrationEventAdmin(ReadOnlyRowsMixin, LongListMixin, admin.ModelAdmin):
    list_display = ["created_column", "integration_column", "kind", "actor", "details"]
    list_select_related = ["integration__seller", "actor"]
    list_filter = ["kind", "created_at"]
    search_fields = ["integration__account_name", "integration__external_id", "details"]
    ordering = ["-created_at", "-id"]
    fields = ["integration", "created_column", "kind", "actor", "details"]
    created_column = when_column("created_at", "quando", ordering="created_at")

    @admin.display(description="integração", ordering="integration__account_name")
    def integration_column(self, event: IntegrationEvent) -> str:
        integration = event.integration
        return format_html(
            '{}<br><span class="hub-muted">{}</span>',
            integration.account_name,
            integration.seller.name,
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # append-only, for superusers too
