"""The outbox row is written in the transaction of the change: a rollback leaves nothing to
send, a commit leaves a row (and hands its endpoint to a worker only after the commit)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from api.models import WebhookDelivery
from api.services.endpoints import endpoint_create
from integrations.models import IntegrationEvent
from integrations.services.events import event_record
from tests.api.conftest import api_get, write_orders

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _events() -> list[str]:
    return list(WebhookDelivery.objects.order_by("pk").values_list("event_type", flat=True))


def test_new_and_changed_orders_queue_created_and_updated(tenant, endpoint, _no_queueing):
    updated = timezone.now() - timedelta(hours=1)
    assert write_orders(tenant.integration, [1, 2], updated=updated) == 2
    assert _events() == ["order.created", "order.created"]
    assert _no_queueing == [[endpoint.pk]]  # after the commit (autocommit here)

    write_orders(tenant.integration, [1, 2], updated=updated)  # the overlap re-read: no change
    assert len(_events()) == 2

    write_orders(tenant.integration, [1], updated=updated + timedelta(minutes=1), status="shipped")
    assert _events()[-1] == "order.updated"
    assert WebhookDelivery.objects.order_by("pk").last().payload["data"]["status"] == "shipped"


def test_the_webhook_payload_is_the_apis_order(client, tenant, endpoint):
    write_orders(tenant.integration, [3], total="99.90")

    payload = WebhookDelivery.objects.get().payload
    order = api_get(client, tenant.key, "/api/v1/orders").json()["results"][0]

    assert payload["type"] == "order.created" and payload["timestamp"].endswith("Z")
    assert payload["data"] == order


def test_a_seller_without_endpoints_queues_nothing_and_others_get_nothing(
    tenant, other_tenant, endpoint
):
    write_orders(other_tenant.integration, [1, 2, 3])

    assert WebhookDelivery.objects.count() == 0


def test_an_endpoint_gets_only_the_events_it_chose(tenant):
    endpoint_create(seller=tenant.seller, url="https://example.com/a", events=["orders.silent"])

    write_orders(tenant.integration, [1])
    event_record(integration=tenant.integration, kind=IntegrationEvent.Kind.ORDERS_SILENT)

    assert _events() == ["orders.silent"]


def test_a_rolled_back_change_leaves_nothing_to_send(tenant, endpoint, _no_queueing):
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(integration=tenant.integration, kind=IntegrationEvent.Kind.EXPIRED)
        write_orders(tenant.integration, [1, 2])
        assert WebhookDelivery.objects.count() == 3  # inside: written with the change
        raise RuntimeError("the change fails")

    assert WebhookDelivery.objects.count() == 0
    assert _no_queueing == []  # nothing was handed to a worker either


def test_a_committed_expiry_queues_integration_expired(tenant, endpoint, _no_queueing):
    with transaction.atomic():
        event_record(
            integration=tenant.integration, kind=IntegrationEvent.Kind.EXPIRED, details="revogada"
        )
        assert _no_queueing == []  # not before the commit

    delivery = WebhookDelivery.objects.get()
    assert delivery.event_type == "integration.expired"
    assert delivery.payload["data"]["account"]["id"] == str(tenant.integration.public_id)
    assert delivery.payload["data"]["details"] == "revogada"
    assert _no_queueing == [[endpoint.pk]]
