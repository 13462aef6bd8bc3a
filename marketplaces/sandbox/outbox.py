"""The stand-ins' outbox: one notification per order created or changed since the last sweep.

A sweep advances the feed of every account that authorized the hub (a live grant family), as
time passes for the marketplace, and queues what changed since the feed's ``pushed_until`` mark.
The loss, duplication and reordering a real sender shows are decided here, once per event.
"""

import random
import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from marketplaces.sandbox.models import (
    SandboxGrantFamily,
    SandboxOrder,
    SandboxPushChannel,
    SandboxPushMessage,
)
from marketplaces.sandbox.push_conf import PushSender

State = SandboxPushMessage.State
# A duplicate follows its original by this much: the same notification, sent again.
DUPLICATE_GAP = timedelta(seconds=1)


def channel(marketplace: str) -> SandboxPushChannel:
    found, _ = SandboxPushChannel.objects.get_or_create(marketplace=marketplace)
    return found


def topics_enabled(marketplace: str) -> bool:
    return channel(marketplace).disabled_at is None


def set_topics(marketplace: str, *, enabled: bool, reason: str = "") -> SandboxPushChannel:
    """Switches a stand-in's notifications off (what comes due is kept as missed) or on again."""
    found = channel(marketplace)
    found.disabled_at = None if enabled else timezone.now()
    found.disabled_reason = "" if enabled else reason[:100]
    found.failures_in_row = 0
    found.save(update_fields=["disabled_at", "disabled_reason", "failures_in_row"])
    return found


def subscribed_accounts(sender: PushSender) -> list[str]:
    """The accounts whose changes the marketplace notifies: those that authorized the hub (each
    shop of a main account that did)."""
    families = SandboxGrantFamily.objects.filter(marketplace=sender.key, revoked_at__isnull=True)
    owners = set(families.values_list("account_id", flat=True))
    return sorted({account for owner in owners for account in sender.covers(owner)})


def queue_changes(sender: PushSender, *, now: datetime | None = None) -> int:
    """Queues a notification for each order of each subscribed account created or changed since
    the account's last sweep; returns how many were queued (dropped and suppressed included).
    Each account's feed is brought up to the time it is swept (``now`` in tests)."""
    queued = 0
    for account_id in subscribed_accounts(sender):
        moment = now or timezone.now()
        with transaction.atomic():
            feed = sender.feed(account_id, moment)  # locked until the transaction ends
            if feed is None:
                continue
            if feed.pushed_until is not None and feed.pushed_until >= moment:
                continue  # an overlapping sweep already queued up to a later time
            since, feed.pushed_until = feed.pushed_until, moment
            feed.save(update_fields=["pushed_until"])
            if since is None:
                continue  # first sight of the account: its history was never news
            changed = feed.orders.filter(updated_at__gt=since, updated_at__lte=moment)
            queued += _queue(sender, account_id, changed.order_by("updated_at", "id"), moment)
    return queued


def _chance(share: float) -> bool:
    return share > 0 and random.random() < share  # noqa: S311 - a development simulation


def _queue(sender: PushSender, account_id: str, orders, now: datetime) -> int:
    off = not topics_enabled(sender.key)
    due = now + timedelta(seconds=sender.delay_seconds())
    rows = []
    for order in orders:
        if not sender.notifies(order.status):
            continue
        message = _message(sender.key, account_id, order, now=now, due=due)
        if off:
            message.state = State.SUPPRESSED
        elif _chance(sender.drop_share()):
            message.state = State.DROPPED
        else:
            message.held = _chance(sender.out_of_order_share())
        rows.append(message)
        if message.state == State.PENDING and _chance(sender.duplicate_share()):
            twin = _message(sender.key, account_id, order, now=now, due=due + DUPLICATE_GAP)
            twin.event_id = message.event_id
            rows.append(twin)
    SandboxPushMessage.objects.bulk_create(rows)
    return len(rows)


def _message(
    marketplace: str, account_id: str, order: SandboxOrder, *, now: datetime, due: datetime
) -> SandboxPushMessage:
    return SandboxPushMessage(
        marketplace=marketplace,
        account_id=account_id,
        event_id=uuid.uuid4().hex,
        order_id=order.order_id,
        order_status=order.status,
        changed_at=order.updated_at,
        created_at=now,
        due_at=due,
    )
