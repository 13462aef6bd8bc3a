"""What an order reader answers, and what every marketplace's reader shares.

Readers are Django-free, like the providers whose HTTP session, timeouts and typed errors they
use: a 401 is ``AccessTokenRejected``, a 429 ``TemporarilyUnavailable`` with its Retry-After.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from marketplaces.base.errors import ProviderMisconfigured, TemporarilyUnavailable
from marketplaces.base.oauth2 import StandardOAuth2Provider
from marketplaces.base.responses import identifier, parse_time, text

logger = logging.getLogger(__name__)

# The normalised statuses (orders.models.Order.Status values).
PENDING, PAID, INVOICED, SHIPPED = "pending", "paid", "invoiced", "shipped"
DELIVERED, CANCELLED, OTHER = "delivered", "cancelled", "other"


@dataclass(frozen=True)
class OrderRecord:
    """One order as the hub keeps it: no buyer data ever leaves the reader."""

    marketplace_order_id: str
    code: str
    status: str
    status_raw: str
    total: Decimal | None
    currency: str
    created_at: datetime
    updated_at: datetime


# Where a page starts: an offset, or a reader's own opaque position (a time window and the
# marketplace's cursor within it). The first page is always 0.
Cursor = int | str


@dataclass(frozen=True)
class OrderPage:
    orders: list[OrderRecord]
    next_cursor: Cursor | None  # where the next page starts; None: this was the last
    skipped: int = 0  # entries that were not readable orders


class OrderReader(ABC):
    """Reads one account's orders updated since a moment, a page at a time, oldest first."""

    page_size: ClassVar[int]
    status_map: ClassVar[dict[str, str]]

    def __init__(self, provider: StandardOAuth2Provider):
        self.provider = provider

    @abstractmethod
    def read_page(
        self,
        *,
        access_token: str,
        account_id: str,
        updated_since: datetime | None,
        cursor: Cursor,
    ) -> OrderPage: ...

    def read_order(
        self, *, access_token: str, account_id: str, order_id: str
    ) -> OrderRecord | None:
        """One order of the account, fetched by its id (what a notification points at); None
        when the account has no such order (the marketplace answers 404 or 403)."""
        raise NotImplementedError(f"{type(self).__name__} cannot read one order by its id")

    def _unless_absent(self, fetch: Callable[[], Any]) -> Any | None:
        """``fetch()``'s answer, or None when the marketplace answers 404 (no such resource) or
        a plain 403 (another account's). A 401, a 403 naming a dead token, a 429, a 5xx and a
        timeout raise as every call does."""
        try:
            return fetch()
        except ProviderMisconfigured as exc:
            if exc.status in (403, 404):
                return None
            raise

    def _unreadable_order(self) -> TemporarilyUnavailable:
        return TemporarilyUnavailable(f"{self.provider.display_name}: pedido ilegível na resposta")

    def _asked_order(self, fields: dict, order_id: str) -> OrderRecord:
        """The order a one-order call answered (``fields`` as for ``_record``); one the hub
        cannot read, or another order than the one asked for, is an unreadable answer."""
        record = self._record(**fields)
        if record is None or record.marketplace_order_id != order_id:
            raise self._unreadable_order()
        return record

    def normalise_status(self, raw: str) -> str:
        return self.status_map.get(raw.lower(), OTHER)

    def _get(self, url: str, *, access_token: str, params: dict[str, str]) -> Any:
        return self.provider.api_json(
            url, access_token=access_token, operation="orders", params=params
        )

    def _records(self, results: list, fields) -> tuple[list[OrderRecord], int]:
        """The readable orders of a page (``fields`` maps an entry to _record's arguments) and
        how many entries were skipped."""
        orders = []
        for entry in results:
            record = self._record(**fields(entry)) if isinstance(entry, dict) else None
            if record is not None:
                orders.append(record)
        return orders, len(results) - len(orders)

    def _invalid(self, what: str) -> TemporarilyUnavailable:
        return TemporarilyUnavailable(
            f"{self.provider.display_name}: resposta inválida da lista de pedidos ({what})"
        )

    def _record(
        self,
        *,
        order_id: Any,
        code: Any,
        status: Any,
        total: Any,
        currency: Any,
        created: Any,
        updated: Any,
    ) -> OrderRecord | None:
        """An OrderRecord from an entry's fields, or None when they do not make an order."""
        order_id = identifier(order_id)
        created_at, updated_at = parse_time(created), parse_time(updated)
        if not order_id or created_at is None:
            return None
        status_raw = text(status, 64)
        return OrderRecord(
            marketplace_order_id=order_id,
            code=text(code, 64) or order_id,
            status=self.normalise_status(status_raw),
            status_raw=status_raw,
            total=parse_amount(total),
            currency=text(currency, 3).upper(),
            created_at=created_at,
            updated_at=updated_at or created_at,
        )


def parse_amount(value: Any) -> Decimal | None:
    """A money amount: a JSON number, a numeric string, or {"value": cents, "normalizer": 100}."""
    if isinstance(value, dict):
        amount, normalizer = (
            parse_amount(value.get("value")),
            parse_amount(value.get("normalizer", 1)),
        )
        if amount is None or not normalizer:
            return None
        return (amount / normalizer).quantize(Decimal("0.01"))
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or abs(amount) >= Decimal("1e12"):
        return None
    return amount.quantize(Decimal("0.01"))


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
