"""Support's view of push: the notifications as received (read-only, "Reprocessar" for the
failed ones), the gaps the audit found, and each marketplace's push health above the list."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from hub.admin_site import (
    LongListMixin,
    ReadOnlyRowsMixin,
    confirmed,
    model_page,
    selected_rows,
    when_column,
)
from integrations.admin import display
from integrations.admin.filters import MarketplaceFilter
from integrations.orders.services.cadence import cadence_label
from integrations.push.models import Notification, PushGap
from integrations.push.selectors import gap_count_for_integration, push_summary
from integrations.push.support import REPROCESSABLE, notifications_reprocess

REPROCESS_PERM = "push.can_reprocess_notification"


class _Evidence(ReadOnlyRowsMixin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the evidence stays, for superusers too


@admin.register(Notification)
class NotificationAdmin(_Evidence, LongListMixin, admin.ModelAdmin):
    list_display = [
        "received_column",
        "marketplace_column",
        "topic",
        "state",
        "via",
        "account_id",
        "resource_id",
        "processed_column",
        "integration_column",
    ]
    list_select_related = ["integration"]
    list_filter = [MarketplaceFilter, "state", "via"]
    search_fields = ["=account_id", "=resource_id"]
    search_help_text = "Id da conta no marketplace ou id do pedido (exatos)."
    ordering = ["-received_at", "-id"]
    actions = ["reprocess"]
    fields = [
        "marketplace_column",
        "via",
        "topic",
        "state",
        "account_id",
        "resource_id",
        "integration_column",
        "received_column",
        "sent_column",
        "processed_column",
        "attempts",
        "error",
        "source",
        "dedup_key",
        "body",
    ]

    def changelist_view(self, request, extra_context=None):
        rows = push_summary()
        context = {
            "push_rows": [(row, cadence_label(row.health)) for row in rows],
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    received_column = when_column("received_at", "recebida em", ordering="received_at")
    sent_column = when_column("sent_at", "enviada em")
    processed_column = when_column("processed_at", "processada em", ordering="processed_at")
    marketplace_column = display.marketplace_column
    integration_column = display.integration_column

    def has_reprocess_permission(self, request) -> bool:
        return request.user.has_perm(REPROCESS_PERM)

    @admin.action(description="Reprocessar", permissions=["reprocess"])
    def reprocess(self, request, queryset):
        chosen = selected_rows(
            self,
            request,
            queryset.select_related("integration"),
            noun="notificações",
            purpose="reprocessar",
        )
        if chosen is None:
            return None
        if not confirmed(request):
            return self._confirmation(request, chosen)
        count = notifications_reprocess(
            notification_ids=[row.pk for row in chosen], user=request.user
        )
        skipped = len(chosen) - count
        if count:
            self.message_user(request, f"{count} notificação(ões) de volta à fila.")
        if skipped:
            self.message_user(
                request,
                f"{skipped} não reprocessada(s): só as que falharam ou com conta não "
                "conectada voltam à fila.",
                messages.WARNING,
            )
        return None

    def _confirmation(self, request, chosen: list[Notification]) -> TemplateResponse:
        context = {
            "title": "Reprocessar notificações",
            "selected": chosen,
            "action_name": "reprocess",
            "reprocessable": [row for row in chosen if row.state in REPROCESSABLE],
            "cancel_url": request.get_full_path(),
        }
        return model_page(
            request, self, "admin/push/notification/reprocess_confirmation.html", context
        )


@admin.register(PushGap)
class PushGapAdmin(_Evidence, LongListMixin, admin.ModelAdmin):
    list_display = [
        "found_column",
        "marketplace_column",
        "marketplace_order_id",
        "integration_column",
    ]
    list_select_related = ["integration"]
    list_filter = [MarketplaceFilter, "found_at"]
    search_fields = ["=marketplace_order_id", "=integration__external_id"]
    search_help_text = "Id do pedido ou id da conta no marketplace (exatos)."
    ordering = ["-found_at", "-id"]
    fields = ["marketplace_column", "marketplace_order_id", "integration_column", "found_column"]
    found_column = when_column("found_at", "encontrado em", ordering="found_at")
    marketplace_column = display.marketplace_column
    integration_column = display.integration_column


def integration_push_cell(integration) -> str:
    """The integration page's line on push: its gaps in 24 h and where its notifications are."""
    gaps = gap_count_for_integration(integration_id=integration.pk)
    gaps_url = reverse("admin:push_pushgap_changelist")
    notifications_url = reverse("admin:push_notification_changelist")
    return format_html(
        'Pedidos não notificados (24 h): <a href="{}?q={}">{}</a> · '
        '<a href="{}?q={}">Notificações desta conta</a>',
        gaps_url,
        integration.external_id,
        gaps,
        notifications_url,
        integration.external_id,
    )
