"""Reads for seller pages, the admin and the token keeper; every seller read is scoped."""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from integrations.due import window_of
from integrations.models import Integration
from marketplaces import PROVIDERS


def integration_list_for_seller(*, seller) -> list[Integration]:
    """The Marketplaces page's rows in one query, whatever their number (without the
    disconnected ones the seller removed from the list)."""
    return list(
        Integration.objects.for_seller(seller).listed().order_by("marketplace", "account_name")
    )


def integration_get_for_seller(*, seller, pk: int) -> Integration:
    """Another seller's integration is a 404, never a 403: its existence is not disclosed."""
    return get_object_or_404(Integration.objects.for_seller(seller), pk=pk)


def seller_has_expired_integrations(*, seller) -> bool:
    return Integration.objects.for_seller(seller).expired().exists()


def status_counts_for_seller(*, seller) -> dict[str, int]:
    """How many of the seller's integrations are Ativo and Token Expirado (one query)."""
    rows = (
        Integration.objects.for_seller(seller).order_by().values("status").annotate(n=Count("pk"))
    )
    counts = {status: 0 for status in Integration.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def expired_counts_by_marketplace(*, seller) -> dict[str, int]:
    """How many Token Expirado integrations the seller has per marketplace (one query)."""
    rows = (
        Integration.objects.for_seller(seller)
        .expired()
        .order_by()
        .values("marketplace")
        .annotate(n=Count("pk"))
    )
    return {row["marketplace"]: row["n"] for row in rows}


def reactivatable_integrations_for_seller(*, seller, marketplace: str) -> list[Integration]:
    """The accounts "Sim" can renew: Token Expirado first, then those whose authorization ends
    soon (still Ativo), then the disconnected on the list."""
    provider = PROVIDERS.get(marketplace)
    ending = Q(pk__in=[])
    if provider is not None:
        ending = Q(
            status=Integration.Status.ACTIVE,
            authorization_expires_at__lte=timezone.now() + provider.authorization_end_warning,
        )
    rows = (
        Integration.objects.for_seller(seller)
        .listed()
        .filter(marketplace=marketplace)
        .filter(
            Q(status__in=[Integration.Status.EXPIRED, Integration.Status.DISCONNECTED]) | ending
        )
        .order_by("account_name")
    )
    return sorted(rows, key=lambda integration: integration.is_disconnected)


def integration_history_for_seller(*, seller, pk: int, kinds=None):
    """The integration (scoped: 404 for another seller's) and its events, newest first, of the
    given kinds (all when None): a queryset, for the page to slice."""
    integration = integration_get_for_seller(seller=seller, pk=pk)
    events = integration.events.select_related("actor").order_by("-created_at", "-id")
    if kinds is not None:
        events = events.filter(kind__in=kinds)
    return integration, events


# --- The token keeper's reads: ids in keyset batches, each one index range scan ----------------


def integrations_due_for_refresh(
    *,
    window: timedelta,
    batch_size: int,
    marketplace: str | None = None,
    now: datetime | None = None,
) -> Iterator[list[int]]:
    """Ids of the Ativo integrations (of one marketplace, or all) whose access token is due
    (``integrations.due``: expiring within ``window``), in batches.

    One query per batch on ``integration_due_idx`` (status, access_token_expires_at, id), soonest
    first, paginated by keyset on (access_token_expires_at, id): no OFFSET, no row read twice.
    """
    cutoff = (now or timezone.now()) + window
    due = Integration.objects.filter(
        status=Integration.Status.ACTIVE, access_token_expires_at__lte=cutoff
    ).order_by("access_token_expires_at", "pk")
    if marketplace is not None:
        due = due.filter(marketplace=marketplace)
    after: tuple[datetime, int] | None = None
    while True:
        page = due
        if after is not None:
            expires_at, pk = after
            page = page.filter(access_token_expires_at__gte=expires_at).filter(
                Q(access_token_expires_at__gt=expires_at) | Q(pk__gt=pk)
            )
        rows = list(page.values_list("access_token_expires_at", "pk")[:batch_size])
        if rows:
            yield [pk for _expires_at, pk in rows]
        if len(rows) < batch_size:
            return
        after = rows[-1]


def integrations_due_per_marketplace(
    *, batch_size: int, now: datetime | None = None
) -> Iterator[tuple[str, list[int]]]:
    """(marketplace, ids) batches of what is due, each marketplace with its own refresh window."""
    for key in PROVIDERS:
        for ids in integrations_due_for_refresh(
            window=window_of(key), batch_size=batch_size, marketplace=key, now=now
        ):
            yield key, ids


def integrations_due_for_verification(*, now: datetime | None = None) -> list[int]:
    """Ids whose pair, stored after an unknown outcome, is due for its check (a partial index)."""
    return list(
        Integration.objects.filter(rotation_verify_after__lte=now or timezone.now())
        .order_by("rotation_verify_after")
        .values_list("pk", flat=True)
    )


def integrations_active_ids(*, batch_size: int) -> Iterator[list[int]]:
    """Ids of every Ativo integration, in batches paginated by keyset on the primary key."""
    active = Integration.objects.filter(status=Integration.Status.ACTIVE).order_by("pk")
    last_pk = 0
    while True:
        ids = list(active.filter(pk__gt=last_pk).values_list("pk", flat=True)[:batch_size])
        if ids:
            yield ids
        if len(ids) < batch_size:
            return
        last_pk = ids[-1]
