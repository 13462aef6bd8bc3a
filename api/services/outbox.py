"""Writing webhook messages to the outbox in the transaction of the change they announce.

A rolled-back change takes its outbox rows with it; a committed one keeps them until delivered
(the sweep finds any a lost task left behind). After the commit the endpoints are handed to a
worker at once.
"""

import uuid
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from api.dispatch import deliver_endpoints
from api.models import EventType, WebhookDelivery, WebhookEndpoint

# The history's kinds that a seller's system can subscribe to, by webhook event type.
EVENT_OF_KIND = {
    "expired": EventType.INTEGRATION_EXPIRED,
    "refresh_lost": EventType.INTEGRATION_EXPIRED,
    "token_unreadable": EventType.INTEGRATION_EXPIRED,
    "reauthorized": EventType.INTEGRATION_REACTIVATED,
    "import_failing": EventType.INTEGRATION_IMPORT_FAILING,
    "import_recovered": EventType.INTEGRATION_IMPORT_RECOVERED,
    "orders_silent": EventType.ORDERS_SILENT,
    "orders_resumed": EventType.ORDERS_RESUMED,
}


def message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def iso(moment: datetime | None) -> str | None:
    """UTC, ``Z``, microseconds: the one form of every time the API and the webhooks write."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def outbox_for_event(*, event) -> int:
    """Queues the webhook an integration's history event means (if any endpoint wants it)."""
    event_type = EVENT_OF_KIND.get(event.kind)
    if event_type is None:
        return 0
    integration = event.integration
    # A seller has a handful of endpoints: filtered here, the same on every database (SQLite
    # has no JSON containment).
    endpoints = [
        pk
        for pk, events in WebhookEndpoint.objects.filter(
            seller_id=integration.seller_id, enabled=True
        ).values_list("pk", "events")
        if event_type.value in events
    ]
    if not endpoints:
        return 0
    data = {
        "account": {
            "id": str(integration.public_id),
            "marketplace": integration.marketplace,
            "account_name": integration.account_name,
            "status": integration.status,
        },
        "event_id": event.pk,
        "details": event.details,
        "occurred_at": iso(event.created_at),
    }
    now = timezone.now()
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            message_id=message_id(),
            endpoint_id=endpoint_id,
            seller_id=integration.seller_id,
            event_type=event_type.value,
            payload={"type": event_type.value, "timestamp": iso(now), "data": data},
            created_at=now,
            next_attempt_at=now,
        )
        for endpoint_id in endpoints
    )
    deliver_after_commit(endpoints)
    return len(endpoints)


def deliver_after_commit(endpoint_ids) -> None:
    """Hands the endpoints to a worker once the transaction commits (never before)."""
    ids = sorted(set(endpoint_ids))
    if not ids:
        return
    # robust: a broker outage never fails the committed change; the sweep sends it later.
    transaction.on_commit(lambda: deliver_endpoints(ids), robust=True)
