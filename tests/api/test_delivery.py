"""Sending: signed per Standard Webhooks (verified with the library), retried with backoff,
given up after the last attempt, the endpoint disabled and the seller told by e-mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from api.models import WebhookDelivery, WebhookEndpoint
from api.services.delivery import backoff_seconds, deliveries_send
from api.services.endpoints import delivery_resend, endpoint_create, endpoint_enable
from tests.api.conftest import write_orders
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def hook(tenant, receiver):
    endpoint, secret = endpoint_create(
        seller=tenant.seller, url=receiver.url, events=["order.created", "order.updated"]
    )
    endpoint.secret = secret
    return endpoint


def test_a_delivery_is_signed_and_verifies_with_the_library(tenant, hook, receiver):
    write_orders(tenant.integration, [1])

    assert deliveries_send() == 1

    [(headers, body)] = receiver.requests
    payload = Webhook(hook.secret).verify(body, headers)
    assert payload["type"] == "order.created"
    assert payload["data"]["marketplace_order_id"] == "MO-1"
    delivery = WebhookDelivery.objects.get()
    assert headers["webhook-id"] == delivery.message_id
    assert delivery.status == "delivered" and delivery.last_status_code == 204
    with pytest.raises(Exception):  # noqa: B017  (the library's own verification error)
        Webhook(hook.secret).verify(body + b" ", headers)


def test_a_failure_is_retried_later_with_backoff(tenant, hook, receiver):
    receiver.status = 503
    write_orders(tenant.integration, [1])

    assert deliveries_send() == 0

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.last_status_code == 503 and delivery.last_error == "Respondeu HTTP 503"
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 10 < wait <= 30
    assert deliveries_send() == 0  # not due yet: nothing sent
    assert len(receiver.requests) == 1

    receiver.status = 200
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert deliveries_send() == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    ids = {headers["webhook-id"] for headers, _ in receiver.requests}
    assert ids == {delivery.message_id}  # the same id on every attempt


def test_the_backoff_doubles_with_jitter_and_spans_about_a_day():
    from api import conf

    gaps = range(1, conf.get("WEBHOOKS_MAX_ATTEMPTS"))
    full = [min(6 * 3600, 30 * 2 ** (n - 1)) for n in gaps]
    delays = [backoff_seconds(n) for n in gaps]

    assert all(f / 2 <= d <= f for d, f in zip(delays, full, strict=True))
    assert sum(full) / 2 > 16 * 3600 and sum(full) < 33 * 3600


def test_after_the_last_attempt_the_endpoint_is_disabled_and_the_seller_told(
    settings, tenant, hook, receiver, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_MAX_ATTEMPTS = 3
    UserFactory(membership__seller=tenant.seller, email="dona@loja.com.br")
    receiver.status = 500
    write_orders(tenant.integration, [1])

    for _ in range(3):
        WebhookDelivery.objects.filter(status="pending").update(next_attempt_at=timezone.now())
        with django_capture_on_commit_callbacks(execute=True):
            deliveries_send()

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 3
    endpoint = WebhookEndpoint.objects.get()
    assert not endpoint.enabled and "3 tentativas sem sucesso" in endpoint.disabled_reason
    [email] = mail.outbox
    assert email.to == ["dona@loja.com.br"]
    assert email.subject == "Webhook desativado: 127.0.0.1"
    assert hook.secret not in email.body

    write_orders(tenant.integration, [2])  # a disabled endpoint gets no new rows
    assert WebhookDelivery.objects.count() == 1

    receiver.status = 204
    endpoint_enable(endpoint=endpoint)
    delivery_resend(delivery=delivery)
    assert deliveries_send() == 1


def test_an_endpoint_resolving_to_a_private_address_is_never_called(settings, tenant, hook):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    write_orders(tenant.integration, [1])

    assert deliveries_send() == 0

    delivery = WebhookDelivery.objects.get()
    assert delivery.last_error.startswith("A URL aponta para um endereço interno")
    assert delivery.last_status_code is None


def test_two_senders_never_claim_the_same_delivery(tenant, hook, receiver):
    from api.services.delivery import deliveries_claim

    write_orders(tenant.integration, range(4))
    first = deliveries_claim(endpoint_ids=None, limit=10)
    second = deliveries_claim(endpoint_ids=None, limit=10)

    assert len(first) == 4 and second == []  # leased: due again only when the lease lapses
    WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert len(deliveries_claim(endpoint_ids=None, limit=10)) == 4
