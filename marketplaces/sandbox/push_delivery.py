"""The stand-ins' sender: POSTs what is due to the hub, as a marketplace's notifier would.

A 2xx acknowledges a notification. Anything else (another status, a timeout, a refused
connection) is a failed attempt, retried on the stand-in's schedule until it runs out; too many
failures in a row switch the stand-in's topics off, where its marketplace does so. No database
transaction is held while a request is in flight, and no answer of the hub's can break the
stand-in: every outcome is counted and what was not acknowledged stays for the missed feeds.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.db.models import F
from django.utils import timezone

from marketplaces.sandbox import outbox
from marketplaces.sandbox.models import SandboxPushChannel, SandboxPushMessage
from marketplaces.sandbox.push_conf import PushSender

logger = logging.getLogger(__name__)
State = SandboxPushMessage.State
BATCH = 200
CONNECT_TIMEOUT_SECONDS = 2.0


@dataclass
class Tally:
    """What one sweep of one stand-in did."""

    delivered: int = 0
    failed_attempts: int = 0
    suppressed: int = 0


def deliver_due(
    sender: PushSender, *, session: requests.Session, now: datetime | None = None
) -> Tally:
    """Sends the due notifications of one stand-in: first in order, then those held back (each
    after a later one went, or alone after ``HOLD_MAX_SECONDS``)."""
    now = now or timezone.now()
    tally = Tally()
    pending = SandboxPushMessage.objects.filter(
        marketplace=sender.key, state=State.PENDING, due_at__lte=now
    )
    for message in pending.filter(held=False).order_by("due_at", "id")[:BATCH]:
        if not _send_or_suppress(sender, message, session, tally):
            return tally
    held_until = now - timedelta(seconds=sender.hold_max_seconds())
    for message in pending.filter(held=True).order_by("due_at", "id")[:BATCH]:
        released = message.created_at <= held_until or _overtaken(message)
        if released and not _send_or_suppress(sender, message, session, tally):
            return tally
    return tally


def _overtaken(message: SandboxPushMessage) -> bool:
    """Whether a later notification of the marketplace (another event) has been sent."""
    return (
        SandboxPushMessage.objects.filter(
            marketplace=message.marketplace, id__gt=message.id, attempts__gt=0
        )
        .exclude(event_id=message.event_id)
        .exists()
    )


def _send_or_suppress(sender, message, session, tally: Tally) -> bool:
    """Sends one; False once the topics are off (everything pending is then kept as missed)."""
    if not outbox.topics_enabled(sender.key):
        tally.suppressed += SandboxPushMessage.objects.filter(
            marketplace=sender.key, state=State.PENDING
        ).update(state=State.SUPPRESSED)
        return False
    if _attempt(sender, message, session):
        tally.delivered += 1
    else:
        tally.failed_attempts += 1
    return True


def _attempt(sender: PushSender, message: SandboxPushMessage, session) -> bool:
    url = sender.url()
    sent_at = timezone.now()
    message.attempts += 1
    body, headers = sender.delivery(message, url, sent_at)
    status = _post(session, url, body, headers, timeout=sender.timeout())
    acknowledged = status is not None and 200 <= status < 300
    message.last_attempt_at, message.last_status = sent_at, status
    if acknowledged:
        message.state, message.delivered_at = State.DELIVERED, timezone.now()
    elif message.attempts > len(sender.retries()):
        message.state = State.FAILED
    else:
        message.due_at = sent_at + timedelta(seconds=sender.retries()[message.attempts - 1])
    message.save(
        update_fields=[
            "attempts",
            "last_attempt_at",
            "last_status",
            "state",
            "delivered_at",
            "due_at",
        ]
    )
    _count(sender, acknowledged)
    logger.info(
        "sandbox.push.attempt",
        extra={
            "marketplace": sender.key,
            "order_id": message.order_id,
            "attempt": message.attempts,
            "status": status,
        },
    )
    return acknowledged


def _post(session, url: str, body: bytes, headers: dict[str, str], *, timeout: float):
    """The hub's status code, or None when no answer came (timeout, refused, reset)."""
    try:
        response = session.post(
            url,
            data=body,
            headers={"Content-Type": "application/json", **headers},
            timeout=(CONNECT_TIMEOUT_SECONDS, timeout),
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        logger.info("sandbox.push.no_answer", extra={"error": type(exc).__name__})
        return None
    response.close()
    return response.status_code


def _count(sender: PushSender, acknowledged: bool) -> None:
    channels = SandboxPushChannel.objects.filter(marketplace=sender.key)
    if acknowledged:
        channels.update(failures_in_row=0, delivered=F("delivered") + 1)
        return
    channels.update(
        failures_in_row=F("failures_in_row") + 1, failed_attempts=F("failed_attempts") + 1
    )
    limit = sender.failures_before_disable()
    if limit and channels.filter(disabled_at__isnull=True, failures_in_row__gte=limit).exists():
        outbox.set_topics(sender.key, enabled=False, reason=f"{limit} falhas seguidas")
        logger.warning("sandbox.push.topics_disabled", extra={"marketplace": sender.key})


def prune(*, now: datetime, keep: timedelta) -> int:
    """Forgets notifications older than the missed feeds keep."""
    deleted, _ = SandboxPushMessage.objects.filter(created_at__lt=now - keep).delete()
    return deleted
