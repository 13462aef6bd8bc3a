"""Support's reads of push: each marketplace's health in a few grouped queries, and the gaps
the audit found per account."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from integrations.push.health import MarketplacePush, push_health
from integrations.push.models import Notification, PushGap
from marketplaces import PROVIDERS, marketplace_name

DAY = timedelta(hours=24)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class PushSummaryRow:
    marketplace: str
    name: str
    health: MarketplacePush
    last_received_at: datetime | None
    last_hour: int
    failed_24h: int
    gaps_24h: int

    @property
    def per_minute(self) -> float:
        return round(self.last_hour / 60, 1)


def push_summary(*, now: datetime | None = None) -> list[PushSummaryRow]:
    """One row per registered marketplace (a handful of index-range queries in all)."""
    now = now or timezone.now()
    health = push_health(now=now)
    recent = {
        row["marketplace"]: row
        for row in Notification.objects.filter(received_at__gte=now - DAY)
        .order_by()
        .values("marketplace")
        .annotate(
            hour=Count("pk", filter=Q(received_at__gte=now - HOUR)),
            failed=Count("pk", filter=Q(state=Notification.State.FAILED)),
        )
    }
    gaps = gap_counts_by_marketplace(now=now)
    rows = []
    for key in PROVIDERS:
        last = (
            Notification.objects.filter(marketplace=key)
            .order_by("-received_at")
            .values_list("received_at", flat=True)
            .first()
        )
        figures = recent.get(key, {})
        rows.append(
            PushSummaryRow(
                marketplace=key,
                name=marketplace_name(key),
                health=health[key],
                last_received_at=last,
                last_hour=figures.get("hour", 0),
                failed_24h=figures.get("failed", 0),
                gaps_24h=gaps.get(key, 0),
            )
        )
    return rows


def gap_counts_by_marketplace(*, now: datetime | None = None) -> dict[str, int]:
    since = (now or timezone.now()) - DAY
    rows = (
        PushGap.objects.filter(found_at__gte=since)
        .order_by()
        .values("marketplace")
        .annotate(n=Count("pk"))
    )
    return {row["marketplace"]: row["n"] for row in rows}


def gap_count_for_integration(*, integration_id: int, now: datetime | None = None) -> int:
    since = (now or timezone.now()) - DAY
    return PushGap.objects.filter(integration_id=integration_id, found_at__gte=since).count()
