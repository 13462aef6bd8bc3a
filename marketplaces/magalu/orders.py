"""Magalu's seller API orders (``GET /seller/v1/orders``).

The seller docs we hold are silent on orders; the facts come from third-party client code:
``_limit``/``_offset`` paging, ``_sort``, date filters spelt ``<field>__gte``, an answer
``{"results": [...], "meta": {"page": {...}}}`` and an order with ``id`` (uuid), ``code``,
``status``, ``created_at``, ``updated_at`` and amounts. Reading by ``updated_at`` is inferred
from that filter naming: kept here, one line to change.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar

from marketplaces.base.http import join_url
from marketplaces.base.orders import (
    CANCELLED,
    DELIVERED,
    INVOICED,
    PAID,
    PENDING,
    SHIPPED,
    OrderPage,
    OrderReader,
    OrderRecord,
    iso,
)

ORDERS_PATH = "/seller/v1/orders"
# An order's id is a uuid; anything else safe in a path segment passes, nothing unsafe does.
ORDER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class MagaluOrderReader(OrderReader):
    page_size = 100  # the stand-in's max_limit, as the API's meta.page.max_limit says
    status_map: ClassVar[dict[str, str]] = {
        "new": PENDING,
        "approved": PAID,
        "invoiced": INVOICED,
        "shipped": SHIPPED,
        "delivered": DELIVERED,
        "finished": DELIVERED,
        "cancelled": CANCELLED,
        "canceled": CANCELLED,
    }
    since_param = "updated_at__gte"
    sort = "updated_at:asc"

    def read_page(
        self, *, access_token: str, account_id: str, updated_since: datetime | None, cursor: int
    ) -> OrderPage:
        params = {"_limit": str(self.page_size), "_offset": str(cursor), "_sort": self.sort}
        if updated_since is not None:
            params[self.since_param] = iso(updated_since)
        url = join_url(self.provider.config.api_url, ORDERS_PATH)
        body = self._get(url, access_token=access_token, params=params)
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list):
            raise self._invalid("sem results")
        orders, skipped = self._records(results, _fields)
        full = len(results) >= self.page_size
        return OrderPage(orders, cursor + len(results) if full else None, skipped)

    def read_order(
        self, *, access_token: str, account_id: str, order_id: str
    ) -> OrderRecord | None:
        """``GET /seller/v1/orders/{id}``: the token names the tenant (as for the list), so an
        order of another store is not found."""
        if not isinstance(order_id, str) or not ORDER_ID.fullmatch(order_id):
            return None  # never put anything but an order id into the path
        url = join_url(self.provider.config.api_url, f"{ORDERS_PATH}/{order_id}")
        entry = self._unless_absent(lambda: self._get(url, access_token=access_token, params={}))
        if entry is None:
            return None
        if not isinstance(entry, dict):
            raise self._unreadable_order()
        return self._asked_order(_fields(entry), order_id)


def _fields(entry: dict) -> dict:
    amounts = entry.get("amounts") if isinstance(entry.get("amounts"), dict) else {}
    return {
        "order_id": entry.get("id"),
        "code": entry.get("code"),
        "status": entry.get("status"),
        "total": amounts.get("total"),
        "currency": amounts.get("currency"),
        "created": entry.get("created_at"),
        "updated": entry.get("updated_at"),
    }
