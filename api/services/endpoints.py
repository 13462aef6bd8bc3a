"""Webhook endpoints: registered (the secret returned once), re-enabled, removed; resending."""

import base64
import secrets

from django.db import transaction
from django.utils import timezone

from api.models import WebhookDelivery, WebhookEndpoint
from api.services.outbox import deliver_after_commit
from api.sources import crypto


def _context(endpoint: WebhookEndpoint) -> str:
    return f"webhook:{endpoint.public_id}:secret"


def endpoint_secret(endpoint: WebhookEndpoint) -> str:
    return crypto.decrypt(endpoint.secret_ciphertext, context=_context(endpoint))


def _new_secret() -> str:
    # Standard Webhooks: "whsec_" + base64 of 24 to 64 random bytes.
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def endpoint_create(
    *, seller, url: str, events: list[str], description: str = "", user=None
) -> tuple[WebhookEndpoint, str]:
    """Returns the endpoint and its signing secret, shown to the seller once."""
    secret = _new_secret()
    endpoint = WebhookEndpoint(
        seller=seller,
        url=url,
        events=sorted(set(events)),
        description=description.strip()[:200],
        created_by=user,
    )
    endpoint.secret_ciphertext = crypto.encrypt(secret, context=_context(endpoint))
    endpoint.save()
    return endpoint, secret


def endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Back on after a disable: what was still pending is sent again, from now."""
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            enabled=True, disabled_at=None, disabled_reason=""
        )
        endpoint.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
            next_attempt_at=timezone.now()
        )
        deliver_after_commit([endpoint.pk])
    endpoint.refresh_from_db()
    return endpoint


def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    endpoint.delete()


def delivery_resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """ "Reenviar": the same message (same webhook-id) is queued again, now, with fresh tries."""
    with transaction.atomic():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at=timezone.now(),
            attempts=0,
            delivered_at=None,
        )
        deliver_after_commit([delivery.endpoint_id])
    delivery.refresh_from_db()
    return delivery
