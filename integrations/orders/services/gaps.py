"""The audit's gaps: orders an import inserted while push was relied on that no notification
announced. Each is recorded once (a ``PushGap``), marked ``arrived_via=audit`` and told in the
integration's history; its account then goes back to the import interval for a while
(``cadence``), and support sees the counts per account and per marketplace.

Which orders a page inserts is known by reading the page's ids already stored (one SELECT)
before the page's upsert, so the upsert statement, and whatever wraps it, stays as it is.
"""

import logging

from django.db import transaction
from django.utils import timezone

from integrations.models import Integration, IntegrationEvent
from integrations.orders.models import Order, OrderPulse
from integrations.orders.services.upsert import orders_upsert
from integrations.push import conf
from integrations.push.health import relied_on_marketplaces
from integrations.push.models import Notification, PushGap
from integrations.services.events import event_record
from marketplaces import OrderRecord

logger = logging.getLogger(__name__)

_LISTED = 10  # order numbers named in the history entry; the rest are counted


class AuditedUpsert:
    """One import run's page writer: stores each page and records the gaps among the orders it
    inserted. The first import of an integration is its backfill, never an audit."""

    def __init__(self, *, integration: Integration, pulse: OrderPulse):
        self.integration = integration
        self.watching = pulse.watermark is not None
        # Judged once per run, before any page is looked at: while push is not relied on, a page
        # is only upserted (no look-up of the ids it already has).
        self._relied_on: bool | None = None

    def store(self, records: list[OrderRecord]) -> int:
        """``orders_upsert`` of the page; returns how many rows it wrote."""
        if not self.watching or not records or not self._push_relied_on():
            return orders_upsert(integration=self.integration, records=records)
        ids = {record.marketplace_order_id for record in records}
        known = set(
            Order.objects.filter(
                integration=self.integration, marketplace_order_id__in=ids
            ).values_list("marketplace_order_id", flat=True)
        )
        stored = orders_upsert(integration=self.integration, records=records)
        inserted = [record for record in records if record.marketplace_order_id not in known]
        if inserted:
            gaps_record(integration=self.integration, inserted=inserted)
        return stored

    def _push_relied_on(self) -> bool:
        if self._relied_on is None:
            self._relied_on = self.integration.marketplace in relied_on_marketplaces()
        return self._relied_on


def gaps_record(*, integration: Integration, inserted: list[OrderRecord]) -> None:
    """Records the gaps among orders just inserted by an audit.

    An order changed within ``PUSH_GAP_GRACE_MINUTES`` may still be on its way by push, and one
    that any notification of the marketplace named (whatever its state) was announced: neither
    is a gap.
    """
    now = timezone.now()
    settled = {
        record.marketplace_order_id: record
        for record in inserted
        if record.updated_at <= now - conf.gap_grace()
    }
    if not settled:
        return
    announced = set(
        Notification.objects.filter(
            marketplace=integration.marketplace, resource_id__in=list(settled)
        ).values_list("resource_id", flat=True)
    )
    candidates = [order_id for order_id in settled if order_id not in announced]
    if not candidates:
        return
    with transaction.atomic():
        already = set(
            PushGap.objects.filter(
                integration=integration, marketplace_order_id__in=candidates
            ).values_list("marketplace_order_id", flat=True)
        )
        found = sorted(order_id for order_id in candidates if order_id not in already)
        if not found:
            return
        PushGap.objects.bulk_create(
            [
                PushGap(
                    integration=integration,
                    marketplace=integration.marketplace,
                    marketplace_order_id=order_id,
                )
                for order_id in found
            ],
            ignore_conflicts=True,
        )
        Order.objects.filter(
            integration=integration,
            marketplace_order_id__in=found,
            arrived_via=Order.Arrival.IMPORT,
        ).update(arrived_via=Order.Arrival.AUDIT)
        event_record(
            integration=integration,
            kind=IntegrationEvent.Kind.PUSH_GAP,
            details=_details([settled[order_id].code for order_id in found]),
        )
    logger.warning(
        "orders.audit.gap_found",
        extra={"integration_id": integration.pk, "marketplace": integration.marketplace,
               "orders": len(found)},
    )  # fmt: skip


def _details(codes: list[str]) -> str:
    listed = ", ".join(codes[:_LISTED])
    more = f" e mais {len(codes) - _LISTED}" if len(codes) > _LISTED else ""
    if len(codes) == 1:
        return f"Pedido encontrado pela auditoria sem notificação: {listed}."
    return f"{len(codes)} pedidos encontrados pela auditoria sem notificação: {listed}{more}."
