"""Reads of orders for seller pages and support, every one scoped and served by an index."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from integrations.orders.models import Order, OrderPulse


@dataclass(frozen=True)
class OrderFilters:
    marketplace: str = ""
    integration_id: int | None = None
    status: str = ""
    date_from: date | None = None
    date_to: date | None = None


def orders_for_seller(*, seller, filters: OrderFilters) -> QuerySet[Order]:
    """The seller's orders, newest first, filtered (the seller column leads the index)."""
    orders = Order.objects.filter(seller=seller).select_related("integration")
    if filters.marketplace:
        orders = orders.filter(marketplace=filters.marketplace)
    if filters.integration_id:
        orders = orders.filter(integration_id=filters.integration_id)
    if filters.status:
        orders = orders.filter(status=filters.status)
    if filters.date_from:
        orders = orders.filter(created_at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        orders = orders.filter(created_at__lt=_local_midnight(filters.date_to, next_day=True))
    return orders.order_by("-created_at", "-id")


def _local_midnight(day: date, *, next_day: bool = False) -> datetime:
    """The start of a São Paulo day (the seller's, TIME_ZONE), or of the next one."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=next_day), time.min))


def pulses_for(*, integration_ids: list[int]) -> dict[int, OrderPulse]:
    """Each integration's last order and silence, in one query."""
    return {pulse.pk: pulse for pulse in OrderPulse.objects.filter(pk__in=integration_ids)}


def silent_q(prefix: str = "") -> Q:
    """Integrations (``prefix`` to reach one) flagged silent, token checked and valid."""
    return Q(**{f"{prefix}order_pulse__silent_since__isnull": False})
