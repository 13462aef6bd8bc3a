"""The orders, read-only for support: what the hub keeps of each, and how it first arrived."""

from django.contrib import admin

from hub.admin_site import LongListMixin, ReadOnlyRowsMixin, when_column
from integrations.admin import display
from integrations.admin.filters import MarketplaceFilter
from integrations.orders.models import Order


@admin.register(Order)
class OrderAdmin(ReadOnlyRowsMixin, LongListMixin, admin.ModelAdmin):
    list_display = [
        "created_column",
        "code",
        "marketplace_column",
        "status",
        "total",
        "arrived_via",
        "arrived_column",
        "integration_column",
    ]
    list_select_related = ["integration"]
    list_filter = [MarketplaceFilter, "arrived_via", "status"]
    search_fields = ["=marketplace_order_id", "=code", "=integration__external_id"]
    search_help_text = "Id ou número do pedido, ou id da conta no marketplace (exatos)."
    ordering = ["-created_at", "-id"]
    fields = [
        "integration_column",
        "marketplace_column",
        "marketplace_order_id",
        "code",
        "status",
        "status_raw",
        "total",
        "currency",
        "created_column",
        "updated_column",
        "arrived_via",
        "arrived_column",
        "imported_column",
    ]
    created_column = when_column("created_at", "criado em", ordering="created_at")
    updated_column = when_column("updated_at", "atualizado em")
    arrived_column = when_column("arrived_at", "chegou em", ordering="arrived_at")
    imported_column = when_column("imported_at", "importado em")
    marketplace_column = display.marketplace_column
    integration_column = display.integration_column

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
