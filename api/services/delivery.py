"""Sending the outbox: claim due deliveries, sign them (Standard Webhooks), send, record.

A claim moves the delivery's due time to the end of a short lease and commits before anything is
sent, with ``FOR UPDATE SKIP LOCKED`` so concurrent workers never claim the same row. A worker
killed mid-send leaves the lease to lapse; the sweep then hands the row to another worker. The
receiver may thus see a message twice, with the same ``webhook-id`` to dedupe on (Standard
Webhooks, "Idempotency").
"""

import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from api import conf
from api.models import WebhookDelivery
from api.safe_http import PinnedClient, UnsafeAddress, resolve
from api.services.disable import endpoint_disable
from api.services.endpoints import endpoint_secret

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    status_code: int | None = None
    error: str = ""


def deliveries_claim(*, endpoint_ids: list[int] | None, limit: int) -> list[WebhookDelivery]:
    now = timezone.now()
    lease = timedelta(seconds=conf.get("WEBHOOKS_LEASE_SECONDS"))
    with transaction.atomic():
        due = WebhookDelivery.objects.filter(
            status=Status.PENDING, next_attempt_at__lte=now, endpoint__enabled=True
        )
        if endpoint_ids is not None:
            due = due.filter(endpoint_id__in=endpoint_ids)
        ids = list(
            due.order_by("next_attempt_at")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        WebhookDelivery.objects.filter(pk__in=ids).update(
            next_attempt_at=now + lease, attempts=F("attempts") + 1, last_attempt_at=now
        )
    return list(WebhookDelivery.objects.filter(pk__in=ids).select_related("endpoint"))


def backoff_seconds(attempts: int) -> float:
    """Exponential, capped, with jitter (the upper half kept: AWS Architecture Blog,
    "Exponential Backoff And Jitter")."""
    base = conf.get("WEBHOOKS_BACKOFF_BASE_SECONDS")
    delay = min(conf.get("WEBHOOKS_BACKOFF_CAP_SECONDS"), base * 2 ** max(attempts - 1, 0))
    return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311  # nosec B311 (not crypto)


def signed_request(delivery: WebhookDelivery, *, secret: str, now: datetime):
    """The body and the three Standard Webhooks headers (``webhook-id``, ``-timestamp``,
    ``-signature``)."""
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "hub-webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(secret).sign(delivery.message_id, now, body),
    }
    return body, headers


def _send(client: PinnedClient, delivery: WebhookDelivery, secrets: dict) -> Outcome:
    endpoint = delivery.endpoint
    try:
        target = resolve(endpoint.url)
    except UnsafeAddress as exc:
        return Outcome(False, error=str(exc))
    if endpoint.pk not in secrets:
        secrets[endpoint.pk] = endpoint_secret(endpoint)
    body, headers = signed_request(delivery, secret=secrets[endpoint.pk], now=timezone.now())
    try:
        status = client.post(target, body=body, headers=headers)
    except Exception as exc:  # timeouts, refusals, TLS: all "try again later"
        return Outcome(False, error=f"Sem resposta ({type(exc).__name__})")
    if 200 <= status < 300:
        return Outcome(True, status)
    return Outcome(False, status, f"Respondeu HTTP {status}")


def _record(delivery: WebhookDelivery, outcome: Outcome, delivered: dict) -> bool:
    """Stores a failure (a success is batched in ``delivered``); True when it gave up."""
    if outcome.delivered:
        delivered.setdefault(outcome.status_code, []).append(delivery.pk)
        return False
    now = timezone.now()
    given_up = delivery.attempts >= conf.get("WEBHOOKS_MAX_ATTEMPTS")
    WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.PENDING).update(
        status=Status.FAILED if given_up else Status.PENDING,
        next_attempt_at=None if given_up else now + timedelta(seconds=backoff_seconds(
            delivery.attempts)),
        last_status_code=outcome.status_code,
        last_error=outcome.error[:300],
    )  # fmt: skip
    logger.info(
        "api.webhooks.delivery_failed",
        extra={
            "delivery_id": delivery.pk,
            "endpoint_id": delivery.endpoint_id,
            "attempts": delivery.attempts,
            "status_code": outcome.status_code,
            "given_up": given_up,
        },
    )
    if given_up:
        endpoint_disable(
            endpoint_id=delivery.endpoint_id,
            reason=f"{delivery.attempts} tentativas sem sucesso: {outcome.error}"[:300],
        )
    return given_up


def deliveries_send(*, endpoint_ids: list[int] | None = None, budget_seconds: float = 30.0) -> int:
    """Sends due deliveries (of these endpoints, or all) until none is due or the budget is
    spent; returns how many were delivered."""
    client, secrets, sent = PinnedClient(), {}, 0
    deadline = time.monotonic() + budget_seconds
    try:
        while time.monotonic() < deadline:
            limit = conf.get("WEBHOOKS_BATCH_SIZE")
            batch = deliveries_claim(endpoint_ids=endpoint_ids, limit=limit)
            if not batch:
                break
            delivered: dict[int, list[int]] = {}
            disabled: set[int] = set()
            for delivery in batch:
                if delivery.endpoint_id in disabled:
                    continue  # disabled in this batch: its lease lapses, it waits (pending)
                if _record(delivery, _send(client, delivery, secrets), delivered):
                    disabled.add(delivery.endpoint_id)
            for status_code, ids in delivered.items():
                WebhookDelivery.objects.filter(pk__in=ids).update(
                    status=Status.DELIVERED,
                    delivered_at=timezone.now(),
                    next_attempt_at=None,
                    last_status_code=status_code,
                    last_error="",
                )
                sent += len(ids)
    finally:
        client.close()
    return sent
