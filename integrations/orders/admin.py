"""The orders, read-only for support: what the hub keeps of each, and how it first arrived."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from integrations.admin import display
from integrations.admin.filters import MarketplaceFilter
from integrations.orders.models import Order
from marketplaces import marketplace_name


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
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
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    list_per_page = 100
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
    readonly_fields = fields

    class Media:
        css = display.ADMIN_CSS

    @admin.display(description="criado em", ordering="created_at")
    def created_column(self, order: Order) -> str:
        return display.when(order.created_at)

    @admin.display(description="atualizado em")
    def updated_column(self, order: Order) -> str:
        return display.when(order.updated_at)

    @admin.display(description="chegou em", ordering="arrived_at")
    def arrived_column(self, order: Order) -> str:
        return display.when(order.arrived_at)

    @admin.display(description="importado em")
    def imported_column(self, order: Order) -> str:
        return display.when(order.imported_at)

    @admin.display(description="marketplace", ordering="marketplace")
    def marketplace_column(self, order: Order) -> str:
        return marketplace_name(order.marketplace)

    @admin.display(description="integração")
    def integration_column(self, order: Order) -> str:
        url = reverse("admin:integrations_integration_change", args=[order.integration_id])
        return format_html('<a href="{}">{}</a>', url, order.integration.account_name)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
