"""Mercado Livre's orders (``GET /orders/search?seller={user_id}``).

From Mercado Livre's "Gerenciar vendas" docs: ``offset``/``limit`` (at most 50), ``sort``
(``date_asc``/``date_desc``), ``order.date_last_updated.from`` for incremental reads, an answer
``{"results": [...], "paging": {"total", "offset", "limit"}}`` and an order with ``id``, ``status``,
``date_created``, ``date_last_updated``, ``total_amount`` and ``currency_id`` (integrators: only the
last 12 months are searchable).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from marketplaces.base.http import join_url
from marketplaces.base.orders import CANCELLED, PAID, PENDING, OrderPage, OrderReader, iso

SEARCH_PATH = "/orders/search"


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
