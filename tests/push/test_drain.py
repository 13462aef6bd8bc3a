"""The drain: each kept notification fetched with its account's own token and upserted, against
the stand-ins' single-order endpoints (in-process)."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from integrations.models import Integration
from integrations.orders.models import Order, OrderPulse
from integrations.orders.services.importing import orders_import
from integrations.push.models import Notification
from integrations.push.services.drain import notifications_claim, notifications_drain
from marketplaces.sandbox import faults
from marketplaces.sandbox import orders as feeds
from marketplaces.sandbox.models import SandboxOrder
from tests.push.conftest import OURS, THEIRS, ml_notice, push, stand_in_orders

pytestmark = pytest.mark.usefixtures("sandbox_http")

State = Notification.State


def _order_calls(sandbox_http) -> list:
    return [call for call in sandbox_http.calls if "/orders/" in call.path]


def test_a_pushed_order_is_stored_with_its_provenance(client, ml_account):
    record = stand_in_orders(ml_account)[0]
    push(client, ml_notice(OURS, record.marketplace_order_id))

    assert notifications_drain() == 1

    order = Order.objects.get()
    assert order.integration_id == ml_account.integration.pk
    assert (order.marketplace_order_id, order.updated_at) == (
        record.marketplace_order_id,
        record.updated_at,
    )
    assert order.arrived_via == Order.Arrival.PUSH and order.arrived_at is not None
    notice = Notification.objects.get()
    assert notice.state == State.DONE and notice.integration_id == ml_account.integration.pk
    assert notice.processed_at is not None and notice.claimed_until is None
    pulse = OrderPulse.objects.get(pk=ml_account.integration.pk)
    assert pulse.last_order_at == record.created_at
    assert pulse.watermark is None  # the import still reads what push may have missed


def test_duplicates_make_one_row_and_one_order_and_one_fetch(client, ml_account, sandbox_http):
    order_id = stand_in_orders(ml_account)[0].marketplace_order_id
    sandbox_http.calls.clear()
    same = ml_notice(OURS, order_id)
    for notice in (same, same, ml_notice(OURS, order_id)):  # a retry, then another event
        assert push(client, notice).status_code == 200

    assert notifications_drain() == 2

    assert Notification.objects.filter(state=State.DONE).count() == 2
    assert Order.objects.count() == 1
    assert len(_order_calls(sandbox_http)) == 1  # one order's notices share one fetch


def test_an_older_copy_read_after_a_newer_one_changes_nothing(client, ml_account):
    record = stand_in_orders(ml_account)[0]
    push(client, ml_notice(OURS, record.marketplace_order_id))
    notifications_drain()
    stored = Order.objects.get()
    # The marketplace answers a stale copy (a lagging replica): older, with another total.
    SandboxOrder.objects.filter(order_id=record.marketplace_order_id).update(
        updated_at=record.updated_at - timedelta(hours=1), total=Decimal("1.00")
    )
    push(client, ml_notice(OURS, record.marketplace_order_id))

    notifications_drain()

    assert list(Order.objects.values()) == list(Order.objects.filter(pk=stored.pk).values())
    again = Order.objects.get()
    assert (again.total, again.updated_at, again.imported_at) == (
        stored.total,
        stored.updated_at,
        stored.imported_at,
    )
    assert Notification.objects.filter(state=State.DONE).count() == 2


def test_a_body_naming_another_sellers_order_changes_no_row(
    client, ml_account, other_sellers_account
):
    # Our account sold little (its orders stop 20 days ago): their newest id is not one of ours.
    feeds.stop_orders("mercadolivre", OURS, at=timezone.now() - timedelta(days=20))
    stand_in_orders(ml_account), stand_in_orders(other_sellers_account)  # the feeds, made
    theirs = SandboxOrder.objects.filter(feed__account_id=THEIRS).latest("created_at").order_id
    assert not SandboxOrder.objects.filter(feed__account_id=OURS, order_id=theirs).exists()
    orders_import(integration_id=other_sellers_account.integration.pk)
    before = list(Order.objects.order_by("pk").values())
    assert before  # the other seller's orders are there to be tampered with

    # Our account's id, their order's id: fetched with our token, the marketplace refuses.
    push(client, ml_notice(OURS, theirs))
    notifications_drain()

    notice = Notification.objects.get()
    assert notice.state == State.NOT_FOUND and notice.integration_id == ml_account.integration.pk
    assert list(Order.objects.order_by("pk").values()) == before
    assert not Order.objects.filter(integration=ml_account.integration).exists()


def test_unknown_and_inactive_accounts_are_kept_with_their_state(
    client, ml_account, other_sellers_account, sandbox_http
):
    Integration.objects.filter(pk=other_sellers_account.integration.pk).update(status="expired")
    sandbox_http.calls.clear()
    push(client, ml_notice("987654321", "2000000000001"))
    push(client, ml_notice(THEIRS, "2000000000001"))

    assert notifications_drain() == 2

    states = dict(Notification.objects.values_list("account_id", "state"))
    assert states == {"987654321": State.UNKNOWN_ACCOUNT, THEIRS: State.INACTIVE}
    assert Notification.objects.get(account_id=THEIRS).integration_id == (
        other_sellers_account.integration.pk
    )
    assert _order_calls(sandbox_http) == [] and not Order.objects.exists()


def test_a_marketplace_that_cannot_answer_now_is_asked_again_after_a_backoff(
    client, ml_account, settings
):
    order_id = stand_in_orders(ml_account)[0].marketplace_order_id
    faults.arm(faults.API, faults.RATE_LIMITED, marketplace="mercadolivre", retry_after=42)
    push(client, ml_notice(OURS, order_id))

    notifications_drain()

    notice = Notification.objects.get()
    assert notice.state == State.PENDING and notice.attempts == 1 and "429" in notice.error
    assert notice.claimed_until >= timezone.now() + timedelta(seconds=40)
    assert notifications_drain() == 0  # not before its time
    with time_machine.travel(notice.claimed_until + timedelta(seconds=1)):
        assert notifications_drain() == 1
    notice.refresh_from_db()
    assert notice.state == State.DONE and notice.attempts == 2
    assert Order.objects.count() == 1


def test_after_the_last_attempt_it_fails_and_is_kept(client, ml_account, settings):
    settings.PUSH_MAX_ATTEMPTS = 1
    faults.arm(faults.API, faults.UNAVAILABLE, marketplace="mercadolivre")
    push(client, ml_notice(OURS, "2000000000001"))

    notifications_drain()

    notice = Notification.objects.get()
    assert notice.state == State.FAILED and notice.error and notice.processed_at


def test_a_killed_workers_claim_is_retaken_after_the_lease(client, ml_account, settings):
    settings.PUSH_CLAIM_LEASE_SECONDS = 60
    push(client, ml_notice(OURS, stand_in_orders(ml_account)[0].marketplace_order_id))
    (claimed,) = notifications_claim(size=10)  # then the worker dies

    assert notifications_drain() == 0  # leased: nobody else takes it
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert notifications_drain() == 1

    notice = Notification.objects.get(pk=claimed.pk)
    assert notice.state == State.DONE and notice.attempts == 2
    assert Order.objects.count() == 1


def test_a_notification_that_keeps_killing_its_worker_ends_failed(client, ml_account, settings):
    settings.PUSH_MAX_ATTEMPTS = 2
    push(client, ml_notice(OURS, "2000000000001"))
    now = timezone.now()
    for hours in (0, 1):  # claimed twice, its worker dying each time
        with time_machine.travel(now + timedelta(hours=hours)):
            assert notifications_claim(size=10)

    with time_machine.travel(now + timedelta(hours=2)):
        notifications_drain()

    notice = Notification.objects.get()
    assert notice.state == State.FAILED and notice.attempts == 3


def test_a_401_renews_the_token_once_and_fetches_again(client, ml_account):
    order_id = stand_in_orders(ml_account)[0].marketplace_order_id
    faults.arm(faults.API, faults.UNAUTHORIZED, marketplace="mercadolivre")
    push(client, ml_notice(OURS, order_id))

    notifications_drain()

    assert faults.token_requests("refresh_token", outcome="ok") == 1
    assert Notification.objects.get().state == State.DONE and Order.objects.count() == 1


def test_the_first_arrival_is_kept_when_an_import_reads_the_order_again(client, ml_account):
    record = stand_in_orders(ml_account)[0]
    push(client, ml_notice(OURS, record.marketplace_order_id))
    notifications_drain()
    pushed = Order.objects.get()
    # Make the stored copy older than the marketplace's, so the import's write is a real update.
    Order.objects.filter(pk=pushed.pk).update(
        updated_at=record.updated_at - timedelta(days=1), total=Decimal("1.00")
    )

    orders_import(integration_id=ml_account.integration.pk)

    again = Order.objects.get(pk=pushed.pk)
    assert again.total == record.total and again.updated_at == record.updated_at  # rewritten
    assert (again.arrived_via, again.arrived_at) == (Order.Arrival.PUSH, pushed.arrived_at)
    others = Order.objects.exclude(pk=pushed.pk)
    assert others.exists() and set(others.values_list("arrived_via", flat=True)) == {"import"}


def test_the_in_process_keeper_drains_too(client, ml_account, transactional_db):
    push(client, ml_notice(OURS, stand_in_orders(ml_account)[0].marketplace_order_id))
    out = StringIO()

    call_command("keep_tokens_alive", "--once", stdout=out)

    assert "1 leitura(s) de notificação de pedido executada(s)." in out.getvalue()
    assert Notification.objects.get().state == State.DONE


def test_a_pushed_order_ends_a_flagged_silence_at_once(client, ml_account):
    record = stand_in_orders(ml_account)[0]
    OrderPulse.objects.create(
        integration=ml_account.integration, silent_since=record.created_at - timedelta(days=1)
    )
    push(client, ml_notice(OURS, record.marketplace_order_id))

    notifications_drain()

    assert OrderPulse.objects.get(pk=ml_account.integration.pk).silent_since is None
    assert ml_account.reload().events.filter(kind="orders_resumed").count() == 1


def test_a_drain_that_freed_its_slot_never_frees_it_again(client, ml_account, monkeypatch):
    """Nothing at its first look: the slot is freed, and another drain takes it before this one
    looks again and finds a notification. This one ends without touching the other's slot."""
    from integrations.push.services import drain
    from integrations.push.services.pace import DRAIN_SLOT_KEY
    from integrations.services.keeper_store import store

    key = DRAIN_SLOT_KEY.format(0)
    store.add(key, "1", ttl=60)
    order_id = stand_in_orders(ml_account)[0].marketplace_order_id
    freed = []

    def ended(slot):
        freed.append(slot)
        if slot is not None:
            store.delete(DRAIN_SLOT_KEY.format(slot))
        if len(freed) == 1:  # meanwhile: another drain takes the slot, a notification arrives
            store.add(key, "other drain", ttl=60)
            push(client, ml_notice(OURS, order_id))

    monkeypatch.setattr(drain, "drain_ended", ended)

    assert notifications_drain(slot=0) == 1

    assert freed[0] == 0 and all(slot is None for slot in freed[1:])
    assert store.get(key) == "other drain"


def test_a_drain_keeps_its_slot_alive_batch_after_batch(client, ml_account, settings):
    from unittest import mock

    from integrations.push.services.pace import DRAIN_SLOT_KEY
    from integrations.services.keeper_store import store

    settings.PUSH_DRAIN_BATCH = 1
    for record in stand_in_orders(ml_account)[:2]:
        push(client, ml_notice(OURS, record.marketplace_order_id))
    store.add(DRAIN_SLOT_KEY.format(0), "1", ttl=60)

    with mock.patch.object(store, "touch", wraps=store.touch) as touch:
        assert notifications_drain(slot=0) == 2

    assert [c.args for c in touch.call_args_list] == [(DRAIN_SLOT_KEY.format(0),)] * 2


def test_orders_left_when_the_lease_runs_short_are_handed_back_untried(
    client, ml_account, settings
):
    from integrations.push.services.drain import _settle_within_lease

    settings.PUSH_CLAIM_LEASE_SECONDS = 60
    first, second = stand_in_orders(ml_account)[:2]
    for record in (first, second):
        push(client, ml_notice(OURS, record.marketplace_order_id))
    claimed = notifications_claim(size=10)
    assert len(claimed) == 2

    # The first order's fetch took most of the lease: no time is left for the second.
    with time_machine.travel(timezone.now() + timedelta(seconds=45)):
        assert _settle_within_lease(claimed) == 1

    rows = {n.resource_id: n for n in Notification.objects.all()}
    done, left = rows[claimed[0].resource_id], rows[claimed[1].resource_id]
    assert done.state == State.DONE
    assert (left.state, left.claimed_until, left.attempts) == (State.PENDING, None, 0)
    assert notifications_drain() == 1  # the next claim takes it at once
    left.refresh_from_db()
    assert (left.state, left.attempts) == (State.DONE, 1)
