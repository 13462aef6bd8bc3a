"""The API's reads, each scoped to one seller."""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from api import conf
from api.models import WebhookEndpoint
from api.sources import Integration, IntegrationEvent, Order


def settled_before() -> datetime:
    return timezone.now() - timedelta(seconds=conf.get("API_SETTLE_SECONDS"))


def integrations_for_api(*, seller) -> list[Integration]:
    return list(
        Integration.objects.for_seller(seller)
        .listed()
        .select_related("order_pulse")
        .order_by("marketplace", "account_name", "pk")
    )


def orders_page(
    *, seller, after: tuple[datetime | None, int] | None, limit: int, filters: dict
) -> list[Order]:
    """Up to ``limit`` orders after the cursor, by ``(imported_at, id)``."""
    orders = Order.objects.filter(seller=seller, imported_at__lte=settled_before())
    if filters.get("account"):
        orders = orders.filter(integration__public_id=filters["account"])
    if filters.get("marketplace"):
        orders = orders.filter(marketplace=filters["marketplace"])
    if filters.get("status"):
        orders = orders.filter(status=filters["status"])
    if filters.get("created_from"):
        orders = orders.filter(created_at__gte=filters["created_from"])
    if filters.get("created_to"):
        orders = orders.filter(created_at__lt=filters["created_to"])
    if after is not None:
        moment, pk = after
        orders = orders.filter(Q(imported_at__gt=moment) | Q(imported_at=moment, pk__gt=pk))
    return list(
        orders.select_related("integration")
        .only(*ORDER_FIELDS, "integration__public_id")
        .order_by("imported_at", "pk")[:limit]
    )


ORDER_FIELDS = (
    "id", "integration_id", "marketplace", "marketplace_order_id", "code", "status",
    "status_raw", "total", "currency", "created_at", "updated_at", "imported_at",
)  # fmt: skip


def events_page(*, seller, after: int | None, limit: int, account=None) -> QuerySet:
    """The seller's integrations' history, oldest first, after an event id."""
    events = IntegrationEvent.objects.filter(
        integration__seller=seller, created_at__lte=settled_before()
    )
    if account:
        events = events.filter(integration__public_id=account)
    if after is not None:
        events = events.filter(pk__gt=after)
    return events.select_related("integration").order_by("pk")[:limit]


def endpoints_for_api(*, seller) -> QuerySet:
    return WebhookEndpoint.objects.filter(seller=seller).order_by("-created_at", "-pk")
