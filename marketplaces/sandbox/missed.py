"""The notifications a stand-in's marketplace keeps for the hub to fetch later: those never
acknowledged with a 2xx (dropped, failed or still retrying, or due while the topics were off),
for about two days (``SANDBOX_PUSH_RETENTION_HOURS``)."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from marketplaces.sandbox.models import SandboxPushMessage
from marketplaces.sandbox.push_conf import retention_hours

State = SandboxPushMessage.State
UNACKNOWLEDGED = Q(state__in=[State.DROPPED, State.FAILED, State.SUPPRESSED]) | Q(
    state=State.PENDING, attempts__gt=0
)


def missed_page(
    marketplace: str, *, offset: int, limit: int
) -> tuple[list[SandboxPushMessage], int]:
    """One page of a marketplace's missed notifications, oldest first, and how many there are."""
    now = timezone.now()
    kept = SandboxPushMessage.objects.filter(
        UNACKNOWLEDGED,
        marketplace=marketplace,
        created_at__gte=now - timedelta(hours=retention_hours()),
    )
    return list(kept.order_by("created_at", "id")[offset : offset + limit]), kept.count()
