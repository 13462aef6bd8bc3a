"""Incremental, idempotent import of each account's orders against the stand-ins' feeds."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrations.models import Integration
from integrations.orders.models import Order, OrderPulse
from integrations.orders.services.importing import ImportOutcome, orders_import
from marketplaces import TemporarilyUnavailable
from marketplaces.sandbox import faults
from marketplaces.sandbox.models import SandboxOrder

pytestmark = pytest.mark.usefixtures("sandbox_http")


def _import(account):
    return orders_import(integration_id=account.integration.pk)


@pytest.mark.parametrize("account_fixture", ["magalu_account", "ml_account"])
def test_the_first_import_reads_thirty_days_and_keeps_no_buyer_data(request, account_fixture):
    account = request.getfixturevalue(account_fixture)

    result = _import(account)

    assert result.outcome == ImportOutcome.IMPORTED
    feed_orders = SandboxOrder.objects.filter(feed__account_id=account.integration.external_id)
    assert result.orders == feed_orders.count() > 50
    stored = Order.objects.filter(integration=account.integration)
    assert stored.count() == feed_orders.count()
    assert set(stored.values_list("seller", flat=True)) == {account.integration.seller_id}
    sample = stored.first()
    assert sample.status in Order.Status.values and sample.status_raw
    assert sample.total and sample.currency == "BRL"
    buyers = set(SandboxOrder.objects.values_list("buyer_name", flat=True))
    row_text = repr(list(stored.values()))
    assert not any(buyer in row_text for buyer in buyers)
    pulse = OrderPulse.objects.get(pk=account.integration.pk)
    assert pulse.watermark == max(stored.values_list("updated_at", flat=True))
    assert pulse.last_order_at == max(stored.values_list("created_at", flat=True))
    assert pulse.last_import_error == ""


def test_a_second_import_reads_only_the_overlap_and_duplicates_nothing(
    magalu_account, sandbox_http
):
    _import(magalu_account)
    count = Order.objects.count()
    sandbox_http.calls.clear()

    result = _import(magalu_account)

    assert result.outcome == ImportOutcome.IMPORTED
    assert Order.objects.count() == count
    assert result.pages == 1 and result.orders < 10  # the last few minutes only
    (call,) = [c for c in sandbox_http.calls if c.path.endswith("/orders")]
    assert call.status == 200


def test_orders_that_moved_on_are_updated_not_duplicated(magalu_account):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        _import(magalu_account)
        # An order still on its way (the feed's newest may already be cancelled).
        newest = (
            Order.objects.exclude(status_raw__in=("delivered", "cancelled"))
            .order_by("-created_at")
            .first()
        )
        traveller.shift(timedelta(days=4))  # long enough for any order to reach its last status

        _import(magalu_account)

    stored = Order.objects.get(pk=newest.pk)
    assert stored.status_raw in ("delivered", "cancelled")
    assert stored.updated_at > newest.updated_at
    assert Order.objects.filter(marketplace_order_id=newest.marketplace_order_id).count() == 1


def test_an_older_copy_never_overwrites_a_newer_one(magalu_account):
    from integrations.orders.services.upsert import orders_upsert
    from marketplaces import OrderRecord

    _import(magalu_account)
    stored = Order.objects.order_by("-updated_at").first()
    stale = OrderRecord(
        marketplace_order_id=stored.marketplace_order_id,
        code=stored.code,
        status="pending",
        status_raw="new",
        total=stored.total,
        currency="BRL",
        created_at=stored.created_at,
        updated_at=stored.updated_at - timedelta(hours=1),
    )

    orders_upsert(integration=magalu_account.integration, records=[stale])

    assert Order.objects.get(pk=stored.pk).status == stored.status


def test_a_copy_that_changes_nothing_writes_nothing(magalu_account):
    from integrations.orders.services.upsert import orders_upsert
    from marketplaces import OrderRecord

    _import(magalu_account)
    stored = Order.objects.order_by("-updated_at").first()
    same = OrderRecord(
        marketplace_order_id=stored.marketplace_order_id,
        code=stored.code,
        status=stored.status,
        status_raw=stored.status_raw,
        total=stored.total,
        currency=stored.currency,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
    )

    assert orders_upsert(integration=magalu_account.integration, records=[same]) == 0
    assert Order.objects.get(pk=stored.pk).imported_at == stored.imported_at


def test_one_statement_per_page_whatever_the_number_of_orders(ml_account, settings):
    settings.SANDBOX_ORDERS_MEAN_GAP_MINUTES = 60  # about 700 orders: 15 pages of 50

    with CaptureQueriesContext(connection) as queries:
        result = _import(ml_account)

    orders_sql = [
        # The upsert, wrapped with the webhook outbox's rows in one statement (WITH … INSERT).
        q
        for q in queries.captured_queries
        if 'INSERT INTO "orders_order" ' in q["sql"]
    ]
    assert result.pages >= 10
    assert len(orders_sql) == result.pages
    # The hub's other statements (the stand-in answers in this process: its own are not ours).
    hub = [
        q
        for q in queries.captured_queries
        if "sandbox_" not in q["sql"] and not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(hub) - len(orders_sql) < 12  # the pulse, the token: a constant, not per page


def test_a_401_refreshes_once_through_the_keeper_and_retries(ml_account):
    faults.arm(faults.API, faults.UNAUTHORIZED, marketplace="mercadolivre")

    result = _import(ml_account)

    assert result.outcome == ImportOutcome.IMPORTED
    assert faults.token_requests("refresh_token", outcome="ok") == 1
    assert Order.objects.exists()


def test_a_401_after_a_fresh_token_is_recorded_never_looped(ml_account):
    faults.arm(faults.API, faults.UNAUTHORIZED, marketplace="mercadolivre", times=5)

    result = _import(ml_account)

    assert result.outcome == ImportOutcome.REFUSED
    assert faults.token_requests("refresh_token") == 1  # one refresh, not five
    assert "401" in OrderPulse.objects.get(pk=ml_account.integration.pk).last_import_error
    assert Integration.objects.get(pk=ml_account.integration.pk).is_active


def test_a_dead_grant_takes_the_expiry_path(ml_account, django_capture_on_commit_callbacks):
    faults.arm(faults.API, faults.UNAUTHORIZED, marketplace="mercadolivre")
    faults.arm(faults.REFRESH, faults.INVALID_GRANT, marketplace="mercadolivre")

    with django_capture_on_commit_callbacks(execute=True):
        result = _import(ml_account)

    assert result.outcome == ImportOutcome.EXPIRED
    integration = Integration.objects.get(pk=ml_account.integration.pk)
    assert integration.status == Integration.Status.EXPIRED
    assert not Order.objects.exists()


def test_rate_limited_reads_are_retried_after_retry_after(ml_account):
    faults.arm(faults.API, faults.RATE_LIMITED, marketplace="mercadolivre", retry_after=42)

    with pytest.raises(TemporarilyUnavailable) as raised:
        _import(ml_account)

    assert raised.value.retry_after == 42
    assert "429" in OrderPulse.objects.get(pk=ml_account.integration.pk).last_import_error


def test_an_expired_integration_is_not_read(ml_account):
    Integration.objects.filter(pk=ml_account.integration.pk).update(status="expired")

    assert _import(ml_account).outcome == ImportOutcome.NOT_ACTIVE
    assert not Order.objects.exists()
