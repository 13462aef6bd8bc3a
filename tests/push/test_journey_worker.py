"""Push end to end with a real Celery worker, on PostgreSQL and Redis, against the Mercado Livre
stand-in served over real sockets: every guarantee of push in one account's afternoon.

A pushed notification becomes an order; its retry and a late, older event of the same order
change nothing more; a body naming another seller's order changes no row; an order whose
notification never came is found by the audit and recorded as a gap; a notification the
marketplace lost is read back from its missed feeds.
"""

from datetime import timedelta

import pytest
from celery import current_app
from django.utils import timezone

from integrations.models import IntegrationEvent
from integrations.orders.models import Order, OrderPulse
from integrations.push.models import Notification, PushGap
from marketplaces.sandbox import orders as feeds
from marketplaces.sandbox import push_sweep
from marketplaces.sandbox.models import SandboxOrder, SandboxOrderFeed
from tests.factories import SellerFactory
from tests.integrations.conftest import wait_for
from tests.push.conftest import OURS, THEIRS, ml_notice, push, sandbox_account, stand_in_orders
from tests.sandbox.push_helpers import new_order

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ML = "mercadolivre"
IMPORT_TASK = "orders.import_integration"
MISSED_FEEDS_TASK = "push.missed_feeds_sweep"
State = Notification.State


@pytest.fixture
def accounts(live_sandbox, seller, seller_user, settings):
    settings.MERCADOLIVRE_READ_TIMEOUT = 10.0  # the stand-in makes the feed on its first read
    # Our account stopped selling 20 days ago: the other seller's newest order is not ours.
    feeds.stop_orders(ML, OURS, at=timezone.now() - timedelta(days=20))
    ours = sandbox_account(seller=seller, tenant=OURS, marketplace=ML)
    theirs = sandbox_account(seller=SellerFactory(), tenant=THEIRS, marketplace=ML)
    return ours, theirs


def _send(task_name: str, settings, *args) -> None:
    """A periodic task, sent as beat sends it (to the worker's queue)."""
    current_app.tasks[task_name].apply_async(args=args, queue=settings.INTEGRATIONS_TASK_QUEUE)


def _settled(count: int):
    def check() -> bool:
        notices = Notification.objects.all()
        return notices.count() == count and not notices.filter(state=State.PENDING).exists()

    return check


def test_push_with_a_real_worker_from_notification_to_gap_and_missed_feed(
    start_worker, accounts, client, settings
):
    ours, theirs = accounts
    first = stand_in_orders(ours)[0]
    stand_in_orders(theirs)
    worker = start_worker()

    # 1. A notification becomes an order, first arrived by push.
    event = ml_notice(OURS, first.marketplace_order_id)
    assert push(client, event).status_code == 200
    try:
        wait_for(_settled(1), timeout=30)
    except AssertionError:
        raise AssertionError(worker.log()[-4000:]) from None
    stored = Order.objects.get(marketplace_order_id=first.marketplace_order_id)
    assert stored.arrived_via == Order.Arrival.PUSH and stored.integration == ours.integration
    as_stored = Order.objects.filter(pk=stored.pk).values()[0]

    # 2. Its retry (same event, attempts 2) is kept once; an older event of the same order,
    # arriving late, is kept and settled, and changes nothing of the order.
    assert push(client, {**event, "attempts": 2}).status_code == 200
    late = ml_notice(OURS, first.marketplace_order_id, received="2026-12-06T06:00:00.000Z")
    assert push(client, late).status_code == 200
    wait_for(_settled(2), timeout=30)
    assert Order.objects.filter(pk=stored.pk).values()[0] == as_stored  # not even rewritten
    assert Order.objects.count() == 1

    # 3. Our account's id with the other seller's order: fetched with our token, refused.
    theirs_id = SandboxOrder.objects.filter(feed__account_id=THEIRS).latest("created_at").order_id
    assert push(client, ml_notice(OURS, theirs_id)).status_code == 200
    wait_for(_settled(3), timeout=30)
    assert Notification.objects.get(resource_id=theirs_id).state == State.NOT_FOUND
    assert not Order.objects.filter(marketplace_order_id=theirs_id).exists()
    assert not Order.objects.filter(integration=theirs.integration).exists()

    # 4. The account's first import (its backfill), then an audit that finds an order no
    # notification announced: a gap, recorded once, in the history.
    _send(IMPORT_TASK, settings, ours.integration.pk)
    wait_for(
        lambda: OrderPulse.objects.filter(
            pk=ours.integration.pk, last_import_at__isnull=False
        ).exists(),
        timeout=30,
    )
    assert not PushGap.objects.exists()  # a backfill is never an audit
    feed = SandboxOrderFeed.objects.get(marketplace=ML, account_id=OURS)
    unannounced = new_order(feed, 2000000000555, placed_ago=timedelta(minutes=40))
    # Changed ten minutes ago: past the grace a notification still on its way is given.
    SandboxOrder.objects.filter(pk=unannounced.pk).update(
        updated_at=timezone.now() - timedelta(minutes=10)
    )
    _send(IMPORT_TASK, settings, ours.integration.pk)
    wait_for(lambda: PushGap.objects.exists(), timeout=30)
    gap = PushGap.objects.get()
    assert (gap.integration, gap.marketplace_order_id) == (
        ours.integration,
        unannounced.order_id,
    )
    assert Order.objects.get(marketplace_order_id=unannounced.order_id).arrived_via == (
        Order.Arrival.AUDIT
    )
    assert ours.integration.events.filter(kind=IntegrationEvent.Kind.PUSH_GAP).count() == 1
    assert stored.arrived_via == Order.objects.get(pk=stored.pk).arrived_via  # still push

    # 5. The marketplace loses a notification; the missed feed brings it back.
    settings.SANDBOX_PUSH = True
    settings.MERCADOLIVRE_SANDBOX_PUSH_DROP_SHARE = 1
    SandboxOrderFeed.objects.filter(pk=feed.pk).update(
        pushed_until=timezone.now() - timedelta(minutes=1)
    )
    lost = new_order(feed, 2000000000777)  # placed just now
    push_sweep.sweep()  # the stand-in "sends": every notification lost on the way
    assert not Notification.objects.filter(resource_id=lost.order_id).exists()
    _send(MISSED_FEEDS_TASK, settings)
    wait_for(lambda: Order.objects.filter(marketplace_order_id=lost.order_id).exists(), timeout=30)
    recovered = Order.objects.get(marketplace_order_id=lost.order_id)
    assert recovered.arrived_via == Order.Arrival.MISSED_FEED
    assert recovered.integration == ours.integration
    assert Notification.objects.get(resource_id=lost.order_id).via == Notification.Via.MISSED_FEED
    for secret in (ours.access_token, ours.refresh_token, theirs.access_token):
        assert secret not in worker.log()
