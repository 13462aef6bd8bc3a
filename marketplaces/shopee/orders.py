"""Shopee's orders: ``get_order_list`` for the order numbers, ``get_order_detail`` for the rest.

From open.shopee.com's API reference (``v2.order.get_order_list``, ``v2.order.get_order_detail``):
the list takes ``time_range_field`` (``update_time`` here), ``time_from``/``time_to`` (Unix
seconds, at most 15 days apart), ``page_size`` (at most 100) and a ``cursor``, and answers
``{"response": {"more", "next_cursor", "order_list": [{"order_sn"}]}}``; the detail takes up to 50
``order_sn`` (comma separated) and answers each with ``order_status``, ``currency``,
``total_amount``, ``create_time`` and ``update_time``.

A position is ``"<window start>:<Shopee's cursor>"``: the reader walks 15-day windows from the
watermark to now, paging through each with Shopee's cursor.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from marketplaces.base.orders import (
    CANCELLED,
    DELIVERED,
    INVOICED,
    OTHER,
    PAID,
    PENDING,
    SHIPPED,
    Cursor,
    OrderPage,
    OrderReader,
    OrderRecord,
)
from marketplaces.shopee.signing import ORDER_DETAIL_PATH as DETAIL_PATH
from marketplaces.shopee.signing import ORDER_LIST_PATH as LIST_PATH

# An order_sn: digits and capital letters; nothing else goes into a call.
ORDER_SN = re.compile(r"[0-9A-Z]{1,32}")
# "The maximum date range that may be specified with the time_from and time_to fields is 15 days."
WINDOW = timedelta(days=15)


class ShopeeOrderReader(OrderReader):
    # At most 50 order_sn per get_order_detail: one detail call per list page.
    page_size = 50
    # Shopee Brasil: an order waits for its invoice (NF-e) before it can ship.
    status_map: ClassVar[dict[str, str]] = {
        "unpaid": PENDING,
        "invoice_pending": PAID,
        "ready_to_ship": INVOICED,
        "processed": INVOICED,
        "retry_ship": INVOICED,
        "shipped": SHIPPED,
        "to_confirm_receive": SHIPPED,
        "completed": DELIVERED,
        "in_cancel": OTHER,
        "cancelled": CANCELLED,
        "to_return": OTHER,
    }

    def read_page(
        self,
        *,
        access_token: str,
        account_id: str,
        updated_since: datetime | None,
        cursor: Cursor,
    ) -> OrderPage:
        now = int(self.provider._now().timestamp())
        start, inner = _position(cursor, updated_since, now)
        end = min(start + int(WINDOW.total_seconds()), now)
        listed = self._response(
            LIST_PATH,
            access_token,
            account_id,
            {
                "time_range_field": "update_time",
                "time_from": str(start),
                "time_to": str(end),
                "page_size": str(self.page_size),
                "cursor": inner,
            },
        )
        entries = listed.get("order_list")
        if not isinstance(entries, list):
            raise self._invalid("sem order_list")
        numbers = [e["order_sn"] for e in entries if isinstance(e, dict) and e.get("order_sn")]
        details: list = []
        if numbers:
            detail = self._response(
                DETAIL_PATH,
                access_token,
                account_id,
                {
                    "order_sn_list": ",".join(str(n) for n in numbers[:50]),
                    "response_optional_fields": "total_amount",
                },
            )
            details = detail.get("order_list")
            if not isinstance(details, list):
                raise self._invalid("detalhe sem order_list")
        orders, skipped = self._records(details, _fields)
        skipped += len(entries) - len(details)
        if listed.get("more") is True and listed.get("next_cursor"):
            return OrderPage(orders, f"{start}:{listed['next_cursor']}", skipped)
        if end < now:
            return OrderPage(orders, f"{end}:", skipped)  # the next window
        return OrderPage(orders, None, skipped)

    def read_order(
        self, *, access_token: str, account_id: str, order_id: str
    ) -> OrderRecord | None:
        """``get_order_detail`` for one order_sn, signed for the shop: another shop's order is
        not in the answer."""
        if not isinstance(order_id, str) or not ORDER_SN.fullmatch(order_id):
            return None
        detail = self._unless_absent(
            lambda: self._response(
                DETAIL_PATH,
                access_token,
                account_id,
                {"order_sn_list": order_id, "response_optional_fields": "total_amount"},
            )
        )
        if detail is None:
            return None
        details = detail.get("order_list")
        if not isinstance(details, list):
            raise self._invalid("detalhe sem order_list")
        entry = next(
            (e for e in details if isinstance(e, dict) and e.get("order_sn") == order_id), None
        )
        if entry is None:
            return None
        return self._asked_order(_fields(entry), order_id)

    def _response(self, path: str, access_token: str, shop_id: str, params: dict) -> dict:
        body = self.provider.shop_call(
            path, access_token=access_token, shop_id=shop_id, operation="orders", params=params
        )
        response = body.get("response")
        if not isinstance(response, dict):
            raise self._invalid("sem response")
        return response


def _position(cursor: Cursor, updated_since: datetime | None, now: int) -> tuple[int, str]:
    """(window start, Shopee's cursor) of a position; the first from the watermark."""
    if isinstance(cursor, str) and ":" in cursor:
        start, _, inner = cursor.partition(":")
        if start.isdigit():
            return int(start), inner
    since = updated_since or datetime.fromtimestamp(now, UTC) - WINDOW
    return min(int(since.timestamp()), now), ""


def _iso(seconds: Any) -> str | None:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def _fields(entry: dict) -> dict:
    return {
        "order_id": entry.get("order_sn"),
        "code": entry.get("order_sn"),
        "status": entry.get("order_status"),
        "total": entry.get("total_amount"),
        "currency": entry.get("currency"),
        "created": _iso(entry.get("create_time")),
        "updated": _iso(entry.get("update_time")),
    }
