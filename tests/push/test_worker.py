"""A real Celery worker on PostgreSQL and Redis: a notification posted to the endpoint becomes an
order on the Pedidos page; a worker killed (kill -9) in the middle of a fetch loses nothing."""

import pytest
from celery import current_app
from django.urls import reverse
from django.utils import timezone

from integrations.orders.models import Order
from integrations.push import conf
from integrations.push.models import Notification
from marketplaces.sandbox import faults
from tests.integrations.conftest import wait_for
from tests.push.conftest import OURS, ml_notice, push, sandbox_account, stand_in_orders

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.fixture
def account(live_sandbox, seller, seller_user, settings):
    settings.MERCADOLIVRE_READ_TIMEOUT = 10.0  # the stand-in makes the feed on its first read
    return sandbox_account(seller=seller, tenant=OURS, marketplace="mercadolivre")


def test_a_pushed_notification_becomes_an_order_on_the_pedidos_page(
    start_worker, account, client, seller_user
):
    record = stand_in_orders(account)[0]
    worker = start_worker()

    response = push(client, ml_notice(OURS, record.marketplace_order_id))

    assert response.status_code == 200
    try:
        wait_for(lambda: Order.objects.filter(arrived_via="push").exists(), timeout=30)
    except AssertionError:
        raise AssertionError(worker.log()[-4000:]) from None
    assert Notification.objects.get().state == Notification.State.DONE
    client.force_login(seller_user)
    page = client.get(reverse("orders:list")).content.decode()
    assert record.code in page
    assert account.access_token not in worker.log() and account.refresh_token not in worker.log()


def test_a_worker_killed_mid_drain_loses_nothing(start_worker, account, client, settings):
    record = stand_in_orders(account)[0]
    env = {"PUSH_CLAIM_LEASE_SECONDS": "2"}
    worker = start_worker(**env)
    # The order's fetch is held at the marketplace while the worker is killed.
    slow = faults.arm(faults.API, faults.SLOW, marketplace="mercadolivre", delay_ms=5000)

    assert push(client, ml_notice(OURS, record.marketplace_order_id)).status_code == 200
    wait_for(lambda: type(slow).objects.get(pk=slow.pk).remaining == 0, timeout=30)
    worker.kill()

    notice = Notification.objects.get()
    assert notice.state == Notification.State.PENDING and notice.attempts == 1  # claimed, no end
    assert notice.claimed_until is not None and not Order.objects.exists()
    start_worker(**env)
    wait_for(lambda: timezone.now() > notice.claimed_until, timeout=10)
    # Beat's periodic drain, sent as beat sends it.
    current_app.tasks[conf.DRAIN_TASK].apply_async(queue=settings.INTEGRATIONS_TASK_QUEUE)

    wait_for(lambda: Notification.objects.get().state == Notification.State.DONE, timeout=30)
    assert Notification.objects.get().attempts == 2
    order = Order.objects.get()
    assert order.marketplace_order_id == record.marketplace_order_id
    assert order.arrived_via == Order.Arrival.PUSH
