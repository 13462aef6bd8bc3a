"""Mercado Livre's orders (``GET /orders/search?seller={user_id}``).

From Mercado Livre's "Gerenciar vendas" docs: ``offset``/``limit`` (at most 50), ``sort``
(``date_asc``/``date_desc``), ``order.date_last_updated.from`` for incremental reads, an answer
``{"results": [...], "paging": {"total", "offset", "limit"}}`` and an order with ``id``, ``status``,
``date_created``, ``date_last_updated``, ``total_amount`` and ``currency_id`` (integrators: only the
last 12 months are searchable).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar

from marketplaces.base.http import join_url
from marketplaces.base.orders import (
    CANCELLED,
    PAID,
    PENDING,
    OrderPage,
    OrderReader,
    OrderRecord,
    iso,
)
from marketplaces.base.responses import identifier

SEARCH_PATH = "/orders/search"
ORDER_PATH = "/orders/{order_id}"
ORDER_ID = re.compile(r"[0-9]{1,20}")


class MercadoLivreOrderReader(OrderReader):
    page_size = 50
    # Shipping is a separate resource on Mercado Livre: an order's own status ends at "paid".
    status_map: ClassVar[dict[str, str]] = {
        "confirmed": PENDING,
        "payment_required": PENDING,
        "payment_in_process": PENDING,
        "partially_paid": PENDING,
        "paid": PAID,
        "cancelled": CANCELLED,
        "invalid": CANCELLED,
    }

    def read_page(
        self, *, access_token: str, account_id: str, updated_since: datetime | None, cursor: int
    ) -> OrderPage:
        params = {
            "seller": account_id,
            "sort": "date_asc",
            "offset": str(cursor),
            "limit": str(self.page_size),
        }
        if updated_since is not None:
            params["order.date_last_updated.from"] = iso(updated_since)
        url = join_url(self.provider.config.api_url, SEARCH_PATH)
        body = self._get(url, access_token=access_token, params=params)
        results = body.get("results") if isinstance(body, dict) else None
        paging = body.get("paging") if isinstance(body, dict) else None
        if not isinstance(results, list) or not isinstance(paging, dict):
            raise self._invalid("sem results ou paging")
        orders, skipped = self._records(results, _fields)
        total = paging.get("total")
        seen = cursor + len(results)
        more = isinstance(total, int) and seen < total and len(results) > 0
        return OrderPage(orders, seen if more else None, skipped)

    def read_order(
        self, *, access_token: str, account_id: str, order_id: str
    ) -> OrderRecord | None:
        """``GET /orders/{id}``: the buyer may read an order too, so it is the account's only
        when the order's ``seller.id`` is the account."""
        if not isinstance(order_id, str) or not ORDER_ID.fullmatch(order_id):
            return None  # never put anything but an order id into the path
        url = join_url(self.provider.config.api_url, ORDER_PATH.format(order_id=order_id))
        entry = self._unless_absent(lambda: self._get(url, access_token=access_token, params={}))
        if entry is None:
            return None
        if not isinstance(entry, dict):
            raise self._unreadable_order()
        seller = entry.get("seller")
        if not isinstance(seller, dict) or identifier(seller.get("id")) != str(account_id):
            return None
        return self._asked_order(_fields(entry), order_id)


def _fields(entry: dict) -> dict:
    return {
        "order_id": entry.get("id"),
        "code": entry.get("id"),
        "status": entry.get("status"),
        "total": entry.get("total_amount"),
        "currency": entry.get("currency_id"),
        "created": entry.get("date_created"),
        "updated": entry.get("date_last_updated"),
    }
