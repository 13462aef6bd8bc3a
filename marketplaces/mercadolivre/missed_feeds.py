"""Mercado Livre's missed notifications (developers.mercadolivre.com.br, "Receba notificações",
"Histórico das notificações"): ``GET /missed_feeds?app_id=<client id>&topic=orders_v2`` answers
the application's notifications that were not acknowledged with HTTP 200, kept about two days,
paged with ``offset``/``limit``, for a token of any account that authorized the application.

Each message carries the fields of the notification as it was posted (``resource``, ``user_id``,
``topic``, ``application_id``, ``attempts``, ``sent``, ``received``), beside what Mercado Livre
kept of its delivery; only the former are handed to the push parser.
"""

from __future__ import annotations

import json

from marketplaces.base.errors import TemporarilyUnavailable
from marketplaces.base.http import join_url
from marketplaces.base.missed_feeds import MissedFeedReader, MissedPage

PATH = "/missed_feeds"
TOPIC = "orders_v2"
# What a posted notification holds (MercadoLivrePushParser reads these).
NOTIFICATION_FIELDS = (
    "_id",
    "resource",
    "user_id",
    "topic",
    "application_id",
    "attempts",
    "sent",
    "received",
)


class MercadoLivreMissedFeedReader(MissedFeedReader):
    page_size = 50

    def read_page(self, *, access_token: str, cursor: int) -> MissedPage:
        params = {
            "app_id": self.provider.config.client_id,
            "topic": TOPIC,
            "offset": str(cursor),
            "limit": str(self.page_size),
        }
        url = join_url(self.provider.config.api_url, PATH)
        body = self.provider.api_json(
            url, access_token=access_token, operation="missed_feeds", params=params
        )
        messages = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(messages, list):
            raise TemporarilyUnavailable(
                f"{self.provider.display_name}: resposta inválida de {PATH} (sem messages)"
            )
        paging = body.get("paging") if isinstance(body.get("paging"), dict) else body
        total = paging.get("total")
        bodies = [_notification(entry) for entry in messages if isinstance(entry, dict)]
        seen = cursor + len(messages)
        more = isinstance(total, int) and seen < total and len(messages) > 0
        return MissedPage(bodies, seen if more else None, len(messages) - len(bodies))


def _notification(entry: dict) -> bytes:
    kept = {name: entry[name] for name in NOTIFICATION_FIELDS if name in entry}
    return json.dumps(kept, separators=(",", ":")).encode()
