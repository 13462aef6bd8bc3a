"""Draining the kept notifications: claimed in batches, each fetched and settled.

A claim is a lease (``claimed_until``) taken with ``SELECT … FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so two workers never take the same rows and neither waits for the other (SQLite, one
writer at a time, takes them plainly). The lease is committed before any fetch: a worker killed
mid-way leaves its rows pending, and the next drain after the lease retakes them. Every claim
counts as an attempt, so a notification that kills its worker each time ends ``failed`` instead
of coming back for ever. A batch whose fetches are slow is not settled past its lease (another
drain may have retaken it by then): what is left near the lease's end is handed back untried,
its attempt with it.
"""

import logging
from datetime import timedelta
from itertools import groupby

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from integrations.push import conf
from integrations.push.models import Notification
from integrations.push.services.pace import drain_ended, drain_goes_on, drain_soon
from integrations.push.services.settle import notifications_settle

logger = logging.getLogger(__name__)

# Batches one drain takes before it hands over to a fresh task (other tasks get a turn).
MAX_BATCHES_PER_RUN = 20
# The time one order's fetch may take at worst (the providers' connect and read timeouts, 5 s and
# 15 s, and a token renewal's): an order is not started closer than this to its lease's end.
FETCH_MARGIN = timedelta(seconds=30)


def notifications_drain(*, slot: int | None = None) -> int:
    """Settles pending notifications until none is claimable, holding drain ``slot`` (None:
    beat's drain, which holds none); returns how many it settled or postponed."""
    handled = batches = 0
    looked_again = False
    while True:
        claimed = notifications_claim(size=conf.drain_batch())
        if not claimed:
            if looked_again:
                return handled
            # Let the next notification queue a drain at once, then look once more: one kept
            # between our last look and now is either seen here or queues its own drain. The
            # slot may be another drain's from now on: this one goes on without any.
            drain_ended(slot)
            slot = None
            looked_again = True
            continue
        looked_again = False
        drain_goes_on(slot)
        handled += _settle_within_lease(claimed)
        batches += 1
        if batches >= MAX_BATCHES_PER_RUN:
            drain_ended(slot)
            drain_soon()  # more may be waiting: a fresh task goes on
            return handled


def _settle_within_lease(claimed: list[Notification]) -> int:
    """Settles the batch one order at a time while its lease lasts; the orders it has no time
    left for are handed back untried, for the next claim, rather than settled after another
    drain may have retaken them (each retake spends an attempt)."""
    lease_end = claimed[0].claimed_until
    stop_at = lease_end - min(FETCH_MARGIN, conf.claim_lease() / 2)
    handled = 0
    groups = [list(notices) for _, notices in groupby(claimed, key=_same_order)]
    for number, notices in enumerate(groups):
        # The first order always: a lease shorter than a fetch would otherwise settle nothing.
        if number and timezone.now() >= stop_at:
            _release([n for rest in groups[number:] for n in rest], lease_end=lease_end)
            break
        handled += notifications_settle(notices=notices)
    return handled


def _release(notices: list[Notification], *, lease_end) -> None:
    """Gives back a claim untried (its attempt too), unless another drain has retaken it."""
    released = Notification.objects.filter(
        pk__in=[notice.pk for notice in notices],
        state=Notification.State.PENDING,
        claimed_until=lease_end,
    ).update(claimed_until=None, attempts=F("attempts") - 1)
    logger.info("push.drain.released", extra={"notifications": released})


def notifications_claim(*, size: int) -> list[Notification]:
    """Up to ``size`` pending notifications nobody holds, oldest first, leased to the caller
    (committed before it returns); grouped so that one order's notifications sit together."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(state=Notification.State.PENDING)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .order_by("received_at", "id")
            .values_list("pk", flat=True)[:size]
        )
        if ids:
            Notification.objects.filter(pk__in=ids).update(
                claimed_until=now + conf.claim_lease(), attempts=F("attempts") + 1
            )
    if not ids:
        return []
    claimed = Notification.objects.filter(pk__in=ids).defer("body").order_by("received_at", "id")
    return sorted(claimed, key=_same_order)


def _same_order(notice: Notification) -> tuple[str, str, str]:
    return (notice.marketplace, notice.account_id, notice.resource_id)
