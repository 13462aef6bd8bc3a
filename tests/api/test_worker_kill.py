"""A committed change is delivered even when the worker sending it dies (kill -9) mid-send: the
lease lapses and beat's sweep hands the row to another worker."""

import threading

import pytest

from api.models import WebhookDelivery
from api.services.endpoints import endpoint_create
from api.tasks import webhooks_sweep
from tests.api.conftest import write_orders
from tests.integrations.conftest import start_worker, wait_for  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_a_delivery_survives_a_killed_worker(
    start_worker,  # noqa: F811
    tenant,
    receiver,
    monkeypatch,
):
    monkeypatch.undo()  # real tasks, through Redis, to the worker
    first_arrived, release = threading.Event(), threading.Event()

    def hold_the_first():
        if len(receiver.requests) == 1:
            first_arrived.set()
            release.wait(30)  # the worker is killed while it waits for this answer

    receiver.on_request = hold_the_first
    env = {"WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true", "WEBHOOKS_LEASE_SECONDS": "1.0"}
    worker = start_worker(**env)
    endpoint_create(seller=tenant.seller, url=receiver.url, events=["order.created"])

    write_orders(tenant.integration, [1])  # committed: the task leaves after the commit

    assert first_arrived.wait(30), worker.log()
    worker.kill()
    release.set()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1  # claimed, never recorded

    start_worker(**env)
    wait_for(lambda: webhooks_sweep() > 0, timeout=10)  # once the lease has lapsed
    wait_for(lambda: WebhookDelivery.objects.get().status == "delivered", timeout=30, interval=0.2)
    ids = [headers["webhook-id"] for headers, _ in receiver.requests]
    assert ids == [delivery.message_id, delivery.message_id]  # at least once, same id
