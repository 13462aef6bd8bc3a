"""Reads for support staff: the overview's numbers and the filters behind each of them, and the
searches of the integrations and authorization attempts lists.

The admin's list filters use the same conditions, so a number on the overview and the list it
links to always agree.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hub.cnpj import is_valid_cnpj, normalize_cnpj
from hub.models import Seller
from hub.search import (
    filter_by_terms,
    folded_contains_q,
    is_exact_seller_term,
    lookups_q,
    search_terms,
    seller_fragment_q,
    seller_search_q,
)
from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from integrations.orders.selectors import silent_q
from marketplaces import PROVIDERS

Status = Integration.Status
Kind = IntegrationEvent.Kind

EXPIRING_WINDOW = timedelta(hours=1)
RECENT_WINDOW = timedelta(hours=24)
RECENT_EVENT_KINDS = (Kind.REFRESH_FAILED, Kind.EXPIRED)
_UUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")


def expiring_soon_q(*, now: datetime) -> Q:
    """Ativo, access token expiring within the next hour (served by integration_due_idx)."""
    return Q(
        status=Status.ACTIVE,
        access_token_expires_at__gte=now,
        access_token_expires_at__lt=now + EXPIRING_WINDOW,
    )


def overdue_q(*, now: datetime) -> Q:
    """Still Ativo but the access token already expired: the token keeper is behind."""
    return Q(status=Status.ACTIVE, access_token_expires_at__lt=now)


def silent_orders_q() -> Q:
    """Ativo, its token checked and valid, and no new orders for longer than the account's
    usual gap: the seller's listings or account may be the problem, not the hub."""
    return Q(status=Status.ACTIVE) & silent_q()


def recent_error_q(*, now: datetime) -> Q:
    return Q(last_error_at__gte=now - RECENT_WINDOW)


def recent_event_q(*, kind: str, now: datetime) -> Q:
    """At least one event of this kind in the last 24 h; an EXISTS, so no duplicate rows."""
    recent = IntegrationEvent.objects.filter(
        integration=OuterRef("pk"), kind=kind, created_at__gte=now - RECENT_WINDOW
    )
    return Q(Exists(recent))


@dataclass(frozen=True)
class MarketplaceRow:
    marketplace: str
    counts: dict[str, int]  # status -> integrations
    total: int


@dataclass(frozen=True)
class RecentEvents:
    events: int
    integrations: int


@dataclass(frozen=True)
class SupportOverview:
    generated_at: datetime
    total: int
    by_status: dict[str, int]
    by_marketplace: list[MarketplaceRow]
    expiring_next_hour: int
    overdue: int
    errors_24h: int
    silent_orders: int
    recent: dict[str, RecentEvents]  # event kind -> last 24 h


def support_overview(*, now: datetime | None = None) -> SupportOverview:
    """Every number in two queries, whatever the number of integrations."""
    now = now or timezone.now()
    rows = (
        Integration.objects.order_by()
        .values("marketplace", "status")
        .annotate(
            n=Count("id"),
            expiring=Count("id", filter=expiring_soon_q(now=now)),
            overdue=Count("id", filter=overdue_q(now=now)),
            errors=Count("id", filter=recent_error_q(now=now)),
            silent=Count("id", filter=silent_orders_q()),
        )
    )
    by_status = dict.fromkeys(Status.values, 0)
    per_marketplace: dict[str, dict[str, int]] = {}
    expiring = overdue = errors = silent = 0
    for row in rows:
        by_status[row["status"]] = by_status.get(row["status"], 0) + row["n"]
        per_marketplace.setdefault(row["marketplace"], {})[row["status"]] = row["n"]
        expiring += row["expiring"]
        overdue += row["overdue"]
        errors += row["errors"]
        silent += row["silent"]

    aggregates = {}
    for kind in RECENT_EVENT_KINDS:
        aggregates[f"{kind}_events"] = Count("id", filter=Q(kind=kind))
        aggregates[f"{kind}_integrations"] = Count(
            "integration", filter=Q(kind=kind), distinct=True
        )
    events = IntegrationEvent.objects.filter(
        created_at__gte=now - RECENT_WINDOW, kind__in=RECENT_EVENT_KINDS
    ).aggregate(**aggregates)

    return SupportOverview(
        generated_at=now,
        total=sum(by_status.values()),
        by_status=by_status,
        by_marketplace=[
            MarketplaceRow(
                marketplace=key,
                counts={value: counts.get(value, 0) for value in Status.values},
                total=sum(counts.values()),
            )
            for key, counts in sorted(per_marketplace.items())
        ],
        expiring_next_hour=expiring,
        overdue=overdue,
        errors_24h=errors,
        silent_orders=silent,
        recent={
            kind: RecentEvents(
                events=events[f"{kind}_events"], integrations=events[f"{kind}_integrations"]
            )
            for kind in RECENT_EVENT_KINDS
        },
    )


# --- The admin's searches (hub/search.py: every word must match, the leading one is looked up
# through the trigram indexes of hub/migrations/0003 and integrations/migrations/0006) ---------


def integration_search(queryset: QuerySet, *, search_term: str) -> QuerySet:
    return filter_by_terms(
        queryset,
        search_terms(search_term),
        term_q=integration_search_q,
        lookups=integration_search_lookups,
        exact=_is_exact_integration_term,
    )


def integration_search_q(term: str) -> Q:
    """One search word. What support gets from a seller goes straight to an index: a whole CNPJ
    (with or without punctuation: the seller's, or the account's own), an e-mail (any word with
    "@"), a tenant id (a uuid). Other words match seller name, legal name (accents ignored),
    part of a tenant id, or part of a CNPJ or of the account's own CNPJ/CPF."""
    if _UUID.match(term):
        # (marketplace, external_id) is the unique index; the registry lists the marketplaces.
        return Q(marketplace__in=list(PROVIDERS), external_id__in={term, term.lower()})
    if is_valid_cnpj(term):
        # The seller's CNPJ or an account's: a UNION of the two indexed lookups, as an OR
        # across the join would read both tables whole.
        number = normalize_cnpj(term)
        return lookups_q(
            Integration,
            {
                "seller": Seller.objects.filter(cnpj=number),
                "pk": Integration.objects.filter(account_document_number=number),
            },
        )
    seller = seller_search_q(term, via="seller__")
    return seller if is_exact_seller_term(term) else seller | _integration_fragment_q(term)


def _integration_fragment_q(term: str) -> Q:
    condition = folded_contains_q("account_name", term) | Q(external_id__contains=term)
    if number := document_fragment(term):
        condition |= Q(account_document_number__contains=number)
    return condition


def document_fragment(term: str) -> str:
    """A word that could be part of a CNPJ/CPF (digits, punctuation ignored), or ""."""
    number = normalize_cnpj(term)
    return number if any(ch.isdigit() for ch in number) and number.isalnum() else ""


def _is_exact_integration_term(term: str) -> bool:
    return is_exact_seller_term(term) or bool(_UUID.match(term))


def integration_search_lookups(term: str) -> dict[str, QuerySet]:
    """A fragment's integrations, table by table: through the sellers it matches (their name
    and CNPJ indexes), and through the integrations' own columns."""
    return {
        "seller": Seller.objects.filter(seller_fragment_q(term)),
        "pk": Integration.objects.filter(_integration_fragment_q(term)),
    }


def attempt_search(queryset: QuerySet, *, search_term: str) -> QuerySet:
    """Seller (name or CNPJ), the account chosen (name or id), the account expected, or the
    e-mail of who started it; parts of any of them."""
    return filter_by_terms(
        queryset,
        search_terms(search_term),
        term_q=attempt_search_q,
        lookups=attempt_search_lookups,
        exact=lambda term: False,
    )


def attempt_search_q(term: str) -> Q:
    return (
        seller_fragment_q(term, via="seller__")
        | folded_contains_q("integration__account_name", term)
        | Q(user__email__icontains=term)
        | _attempt_chosen_q(term)
    )


def _attempt_chosen_q(term: str) -> Q:
    return Q(chosen_external_id__icontains=term) | folded_contains_q("chosen_account_name", term)


def attempt_search_lookups(term: str) -> dict[str, QuerySet]:
    return {
        "seller": Seller.objects.filter(seller_fragment_q(term)),
        "integration": Integration.objects.filter(folded_contains_q("account_name", term)),
        "user": get_user_model().objects.filter(email__icontains=term),
        "pk": AuthorizationAttempt.objects.filter(_attempt_chosen_q(term)),
    }
