"""The audit cadence (push healthy → an audit now and then, push silent or failing → every run)
and the gaps the audit records (once, with an event and arrived_via audit)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrations.models import IntegrationEvent
from integrations.orders.models import Order, OrderPulse
from integrations.orders.services.cadence import integrations_due_for_import
from integrations.orders.services.gaps import AuditedUpsert
from integrations.orders.services.importing import ImportOutcome, orders_import
from integrations.push.health import PushState, push_health
from integrations.push.models import Notification, PushGap
from marketplaces import OrderRecord
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

ML = "mercadolivre"


def _notify(marketplace=ML, *, resource_id="1", state=Notification.State.DONE, ago=None, n=1):
    received = timezone.now() - (ago or timedelta(minutes=1))
    for i in range(n):
        Notification.objects.create(
            marketplace=marketplace,
            dedup_key=f"{resource_id}-{state}-{i}-{received.timestamp()}",
            topic="orders_v2",
            account_id="1",
            resource_id=resource_id,
            state=state,
            received_at=received,
        )


def _pulse(integration, *, imported_ago, watermark=True):
    now = timezone.now()
    return OrderPulse.objects.create(
        integration=integration,
        last_import_at=now - imported_ago,
        watermark=now - timedelta(days=1) if watermark else None,
    )


def _due(batch_size: int = 50) -> set[int]:
    return {pk for ids in integrations_due_for_import(batch_size=batch_size) for pk in ids}


# --- push health ------------------------------------------------------------------------------


def test_push_heard_lately_and_understood_is_healthy():
    _notify(n=3)

    health = push_health()

    assert health[ML].state == PushState.HEALTHY and health[ML].relied_on
    assert health["magalu"].state == PushState.SILENT
    assert health["magalu"].reason == "Nenhuma notificação recebida nos últimos 30 min."


def test_push_silent_beyond_the_window_is_not_relied_on():
    _notify(ago=timedelta(minutes=45))

    assert push_health()[ML].state == PushState.SILENT


def test_push_with_too_many_failed_or_unknown_notifications_is_failing():
    _notify(n=5)
    _notify(resource_id="2", state=Notification.State.FAILED, n=3)
    _notify(resource_id="", state=Notification.State.UNKNOWN_ACCOUNT, n=2)

    health = push_health()[ML]

    assert health.state == PushState.FAILING
    assert health.reason.startswith("5 de 10 notificações")


def test_a_stuck_queue_makes_push_failing():
    _notify(n=3)
    _notify(resource_id="9", state=Notification.State.PENDING, ago=timedelta(minutes=20))

    assert push_health()[ML].state == PushState.FAILING


def test_settings_turn_the_reliance_off(settings):
    _notify(n=3)
    settings.PUSH_UNTRUSTED_MARKETPLACES = ML
    assert push_health()[ML].state == PushState.DISABLED
    settings.PUSH_UNTRUSTED_MARKETPLACES = ""
    settings.PUSH_REDUCE_POLLING = False
    assert push_health()[ML].state == PushState.DISABLED


# --- the cadence ------------------------------------------------------------------------------


def test_healthy_push_means_an_hourly_audit_silent_push_the_five_minute_import():
    _notify(n=3)
    audited_recently = IntegrationFactory(marketplace=ML)
    _pulse(audited_recently, imported_ago=timedelta(minutes=10))
    audit_due = IntegrationFactory(marketplace=ML)
    _pulse(audit_due, imported_ago=timedelta(minutes=61))
    never_imported = IntegrationFactory(marketplace=ML)
    silent_marketplace = IntegrationFactory(marketplace="magalu")
    _pulse(silent_marketplace, imported_ago=timedelta(minutes=5))
    expired = IntegrationFactory(marketplace=ML, expired=True)

    due = _due()

    assert audited_recently.pk not in due
    assert {audit_due.pk, never_imported.pk, silent_marketplace.pk} <= due
    assert expired.pk not in due


def test_an_account_with_a_recent_gap_or_failing_imports_is_imported_every_run():
    _notify(n=3)
    with_gap = IntegrationFactory(marketplace=ML)
    _pulse(with_gap, imported_ago=timedelta(minutes=5))
    PushGap.objects.create(integration=with_gap, marketplace=ML, marketplace_order_id="77")
    old_gap = IntegrationFactory(marketplace=ML)
    _pulse(old_gap, imported_ago=timedelta(minutes=5))
    PushGap.objects.create(
        integration=old_gap,
        marketplace=ML,
        marketplace_order_id="78",
        found_at=timezone.now() - timedelta(hours=25),
    )
    failing = IntegrationFactory(marketplace=ML)
    pulse = _pulse(failing, imported_ago=timedelta(minutes=5))
    OrderPulse.objects.filter(pk=pulse.pk).update(import_failing_since=timezone.now())

    due = _due()

    assert with_gap.pk in due and failing.pk in due
    assert old_gap.pk not in due


def test_when_push_fails_every_account_goes_back_to_the_import():
    _notify(n=5, state=Notification.State.FAILED)
    quiet = IntegrationFactory(marketplace=ML)
    _pulse(quiet, imported_ago=timedelta(minutes=5))

    assert quiet.pk in _due()


def test_the_cadence_costs_a_few_queries_whatever_the_number_of_integrations():
    _notify(n=3)
    for _ in range(40):
        _pulse(IntegrationFactory(marketplace=ML), imported_ago=timedelta(minutes=5))
    for _ in range(25):
        _pulse(IntegrationFactory(marketplace="magalu"), imported_ago=timedelta(minutes=5))

    with CaptureQueriesContext(connection) as queries:
        due = _due(batch_size=10)

    assert len(due) == 25  # the silent marketplace's, in three batches
    # Push health (2), the one selection, and its transaction (savepoint, jit off, release).
    assert len(queries) <= 6


# --- gaps -------------------------------------------------------------------------------------


def _record(order_id: str, *, updated_ago=timedelta(hours=1)) -> OrderRecord:
    moment = timezone.now() - updated_ago
    return OrderRecord(
        marketplace_order_id=order_id,
        code=order_id,
        status="paid",
        status_raw="paid",
        total=Decimal("10.00"),
        currency="BRL",
        created_at=moment,
        updated_at=moment,
    )


def test_an_order_the_audit_inserts_unannounced_is_a_gap_recorded_once_and_evented():
    _notify(resource_id="2001", n=2)  # healthy, and it announced order 2001
    integration = IntegrationFactory(marketplace=ML, external_id="55")
    pulse = _pulse(integration, imported_ago=timedelta(hours=1))
    records = [_record("2001"), _record("2002"), _record("2003", updated_ago=timedelta(0))]

    AuditedUpsert(integration=integration, pulse=pulse).store(records)
    AuditedUpsert(integration=integration, pulse=pulse).store(records)  # read again

    gaps = PushGap.objects.filter(integration=integration)
    assert list(gaps.values_list("marketplace_order_id", flat=True)) == ["2002"]
    arrivals = dict(Order.objects.values_list("marketplace_order_id", "arrived_via"))
    assert arrivals == {"2001": "import", "2002": "audit", "2003": "import"}  # 2003: too fresh
    events = IntegrationEvent.objects.filter(
        integration=integration, kind=IntegrationEvent.Kind.PUSH_GAP
    )
    assert [event.details for event in events] == [
        "Pedido encontrado pela auditoria sem notificação: 2002."
    ]


def test_no_gap_while_push_is_not_relied_on_nor_on_the_first_import():
    integration = IntegrationFactory(marketplace=ML)
    pulse = _pulse(integration, imported_ago=timedelta(hours=1))
    AuditedUpsert(integration=integration, pulse=pulse).store([_record("1")])  # push silent
    _notify(n=2)
    first = IntegrationFactory(marketplace=ML)
    backfill = _pulse(first, imported_ago=timedelta(hours=1), watermark=False)
    AuditedUpsert(integration=first, pulse=backfill).store([_record("2")])

    assert not PushGap.objects.exists()
    assert set(Order.objects.values_list("arrived_via", flat=True)) == {"import"}


@pytest.mark.usefixtures("sandbox_http")
def test_the_import_records_what_push_missed(ml_account, settings):
    # The stand-in's newest order may have changed a minute ago: no grace here (the grace for a
    # notification still on its way is tested above).
    settings.PUSH_GAP_GRACE_MINUTES = 0
    integration = ml_account.integration
    assert orders_import(integration_id=integration.pk).outcome == ImportOutcome.IMPORTED
    assert not PushGap.objects.exists()  # the first import is a backfill
    newest = Order.objects.filter(integration=integration).order_by("-updated_at").first()
    announced = Order.objects.filter(integration=integration).order_by("-updated_at")[1]
    Order.objects.filter(pk__in=[newest.pk, announced.pk]).delete()  # the hub never saw them
    _notify(resource_id=announced.marketplace_order_id, n=2)

    result = orders_import(integration_id=integration.pk)

    assert result.outcome == ImportOutcome.IMPORTED
    gap = PushGap.objects.get()
    assert (gap.integration, gap.marketplace_order_id) == (
        integration,
        newest.marketplace_order_id,
    )
    assert Order.objects.get(pk__isnull=False, marketplace_order_id=newest.marketplace_order_id)\
        .arrived_via == Order.Arrival.AUDIT  # fmt: skip
    assert integration.events.filter(kind=IntegrationEvent.Kind.PUSH_GAP).count() == 1


def test_push_is_judged_once_a_minute_not_on_every_import_run():
    from unittest import mock

    from integrations.push import health

    pulses = []
    for _ in range(3):
        integration = IntegrationFactory(marketplace=ML)
        pulses.append((integration, _pulse(integration, imported_ago=timedelta(hours=1))))

    with mock.patch.object(health, "push_health", wraps=health.push_health) as judged:
        for integration, pulse in pulses:
            AuditedUpsert(integration=integration, pulse=pulse).store([_record("1")])

    assert judged.call_count == 1
    # Push not relied on: the page is only upserted, its ids are not looked up first.
    integration, pulse = pulses[0]
    with CaptureQueriesContext(connection) as queries:
        AuditedUpsert(integration=integration, pulse=pulse).store([_record("2")])
    known_ids = f'SELECT "{Order._meta.db_table}"."marketplace_order_id" FROM'
    assert not any(q["sql"].startswith(known_ids) for q in queries.captured_queries)
