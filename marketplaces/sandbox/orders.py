"""Order feeds for the stand-ins' seller APIs: realistic, deterministic, generated lazily.

Orders arrive at random (exponential gaps around the account's mean, from a generator seeded by
the account, so a feed is the same on every machine) and move along their marketplace's status
path as they age; the stand-in answers paged, filtered reads of them. ``stop_orders`` makes one
account go quiet, as an account whose listings were paused would.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from marketplaces.sandbox.models import SandboxOrder, SandboxOrderFeed

HISTORY = timedelta(days=30)
BUYERS = ("Maria Oliveira", "João Santos", "Ana Lima", "Carlos Pereira", "Beatriz Costa")


@dataclass(frozen=True)
class StatusPath:
    """A marketplace's order lifecycle: (status, after how long) for a completed and a cancelled
    order."""

    completed: tuple[tuple[str, timedelta], ...]
    cancelled: tuple[tuple[str, timedelta], ...]
    cancelled_share: float = 0.07

    def at(self, created_at: datetime, *, cancelled: bool, now: datetime) -> tuple[str, datetime]:
        """The status an order has at ``now`` and when it took it."""
        status, since = self.completed[0][0], created_at
        for name, after in self.cancelled if cancelled else self.completed:
            if created_at + after <= now:
                status, since = name, created_at + after
        return status, since


@dataclass(frozen=True, kw_only=True)
class OrderRules:
    """How a stand-in's accounts sell: its orders' status path, the mean gap between two orders
    of an account, and how it names the n-th order (``make_ids(number) -> (order_id, code)``)."""

    marketplace: str
    path: StatusPath
    mean_gap: timedelta
    make_ids: Callable[[int], tuple[str, str]]


def _feed(marketplace: str, account_id: str, now: datetime) -> SandboxOrderFeed:
    feed, _ = SandboxOrderFeed.objects.select_for_update().get_or_create(
        marketplace=marketplace,
        account_id=account_id,
        defaults={"generated_until": now - HISTORY},
    )
    return feed


def ensure_orders(
    rules: OrderRules, account_id: str, *, now: datetime | None = None
) -> SandboxOrderFeed:
    """Brings the account's feed up to ``now``: new arrivals, and the statuses of recent orders."""
    now = now or timezone.now()
    # Tests and demos may make every account sell less often (fewer rows to generate).
    override = getattr(settings, "SANDBOX_ORDERS_MEAN_GAP_MINUTES", None)
    mean_gap = timedelta(minutes=float(override)) if override else rules.mean_gap
    marketplace, path = rules.marketplace, rules.path
    with transaction.atomic():
        feed = _feed(marketplace, account_id, now)
        until = min(now, feed.stopped_at) if feed.stopped_at else now
        rng = random.Random(f"{marketplace}:{account_id}:{feed.generated_until.timestamp()}")  # noqa: S311
        moment, new = feed.generated_until, []
        while True:
            moment += timedelta(seconds=max(60.0, rng.expovariate(1 / mean_gap.total_seconds())))
            if moment > until:
                break
            order_id, code = rules.make_ids(feed.next_number)
            cancelled = rng.random() < path.cancelled_share
            status, since = path.at(moment, cancelled=cancelled, now=now)
            new.append(
                SandboxOrder(
                    feed=feed,
                    order_id=order_id,
                    code=code,
                    cancelled=cancelled,
                    status=status,
                    total=Decimal(rng.randrange(1990, 89990)) / 100,
                    buyer_name=rng.choice(BUYERS),
                    created_at=moment,
                    updated_at=since,
                )
            )
            feed.next_number += 1
        SandboxOrder.objects.bulk_create(new, batch_size=500)
        feed.generated_until = max(feed.generated_until, until)
        feed.save(update_fields=["generated_until", "next_number"])
        _age(feed, path, now)
    return feed


def _age(feed: SandboxOrderFeed, path: StatusPath, now: datetime) -> None:
    """Moves the orders still on their way along their path (the recent ones, mostly); only
    forward: a caller with an older ``now`` never takes an order back to an earlier status."""
    final = {path.completed[-1][0], path.cancelled[-1][0]}
    changed = []
    for order in feed.orders.exclude(status__in=final):
        status, since = path.at(order.created_at, cancelled=order.cancelled, now=now)
        if status != order.status and since > order.updated_at:
            order.status, order.updated_at = status, since
            changed.append(order)
    SandboxOrder.objects.bulk_update(changed, ["status", "updated_at"], batch_size=500)


def page(
    feed: SandboxOrderFeed,
    *,
    updated_since: datetime | None,
    offset: int,
    limit: int,
    order_by: tuple[str, ...] = ("updated_at", "id"),
) -> tuple[list[SandboxOrder], int]:
    """One page of the feed (and the total the filter matches)."""
    orders = feed.orders.all()
    if updated_since is not None:
        orders = orders.filter(updated_at__gte=updated_since)
    return list(orders.order_by(*order_by)[offset : offset + limit]), orders.count()


def exists_elsewhere(marketplace: str, order_id: str, feed: SandboxOrderFeed) -> bool:
    """Whether another account of the marketplace has an order with this id."""
    return (
        SandboxOrder.objects.filter(feed__marketplace=marketplace, order_id=order_id)
        .exclude(feed=feed)
        .exists()
    )


def stop_orders(marketplace: str, account_id: str, *, at: datetime | None = None) -> None:
    """No order arrives for this account after ``at`` (default now): as if none had since."""
    at = at or timezone.now()
    with transaction.atomic():
        feed = _feed(marketplace, account_id, timezone.now())
        feed.orders.filter(created_at__gt=at).delete()
        feed.stopped_at = at
        feed.save(update_fields=["stopped_at"])


def resume_orders(marketplace: str, account_id: str) -> None:
    """Orders arrive again from now on (none for the quiet spell)."""
    now = timezone.now()
    SandboxOrderFeed.objects.filter(marketplace=marketplace, account_id=account_id).update(
        stopped_at=None, generated_until=now
    )
