"""What an import run leaves on the integration's pulse: its time, its error, and the start and
end of a failing spell, each written to the history once (not once per run).

A spell starts with the first failed run (``import_failing_since``) and ends with the next run
that succeeds. Once it has lasted ``ORDERS_IMPORT_FAILING_ALERT_MINUTES`` the seller's users are
told, once per spell; they are told again when it ends.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from hub.text import clean_text
from integrations.models import Integration, IntegrationEvent
from integrations.orders import conf
from integrations.orders.models import OrderPulse
from integrations.orders.services.pulse import moved_forward
from integrations.services.events import event_record
from integrations.services.notifications import notify_import_failing, notify_import_recovered

logger = logging.getLogger(__name__)

Failure = OrderPulse.Failure


def import_failed(*, pulse: OrderPulse, error: str, failure: str) -> None:
    """Records a failed run; starts the spell (and its event) on the first one."""
    now = timezone.now()
    error = clean_text(error, 300)
    OrderPulse.objects.filter(pk=pulse.pk).update(
        last_import_at=now, last_import_error=error, last_import_failure=failure
    )
    with transaction.atomic():
        started = OrderPulse.objects.filter(pk=pulse.pk, import_failing_since__isnull=True).update(
            import_failing_since=now
        )
        if started:
            event_record(
                integration=pulse.integration,
                kind=IntegrationEvent.Kind.IMPORT_FAILING,
                details=error,
            )
            logger.warning(
                "orders.import.failing",
                extra={"integration_id": pulse.pk, "failure": failure},
            )
    _tell_when_it_lasts(pulse.pk, now=now)


def import_succeeded(
    *,
    pulse: OrderPulse,
    new_orders: int,
    watermark: datetime | None,
    last_order_at: datetime | None,
) -> None:
    """Records a good run (the watermark and the last order only move forward); ends a spell."""
    changes = {
        "last_import_at": timezone.now(),
        "last_import_error": "",
        "last_import_failure": "",
        "last_import_new_orders": new_orders,
    }
    for name, value in (("watermark", watermark), ("last_order_at", last_order_at)):
        if value is not None:
            changes[name] = moved_forward(name, value)
    OrderPulse.objects.filter(pk=pulse.pk).update(**changes)
    if pulse.import_failing_since is not None:
        _end_spell(pulse.pk)


def _end_spell(pulse_id: int) -> None:
    with transaction.atomic():
        ended = (
            OrderPulse.objects.select_for_update()
            .filter(pk=pulse_id, import_failing_since__isnull=False)
            .first()
        )
        if ended is None:  # a concurrent run ended it first
            return
        was_told = ended.import_failure_told_at is not None
        since = ended.import_failing_since
        OrderPulse.objects.filter(pk=pulse_id).update(
            import_failing_since=None, import_failure_told_at=None
        )
        integration = Integration.objects.get(pk=pulse_id)
        event_record(
            integration=integration,
            kind=IntegrationEvent.Kind.IMPORT_RECOVERED,
            details=f"falhava desde {timezone.localtime(since):%d/%m/%Y %H:%M}",
        )
        if was_told:
            notify_import_recovered(integration=integration, since=since)
    logger.info("orders.import.recovered", extra={"integration_id": pulse_id})


def _tell_when_it_lasts(pulse_id: int, *, now: datetime) -> None:
    """Tells the seller's users once the spell has lasted past the alert threshold."""
    with transaction.atomic():
        told = OrderPulse.objects.filter(
            pk=pulse_id,
            import_failing_since__lte=now - conf.import_failing_alert(),
            import_failure_told_at__isnull=True,
        ).update(import_failure_told_at=now)
        if not told:
            return
        pulse = OrderPulse.objects.select_related("integration").get(pk=pulse_id)
        notify_import_failing(
            integration=pulse.integration,
            since=pulse.import_failing_since,
            reason=pulse.last_import_error,
        )
    logger.warning("orders.import.failing_told", extra={"integration_id": pulse_id})
