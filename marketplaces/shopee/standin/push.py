"""Shopee's order status pushes, as the stand-in sends them (Open Platform v2, "Push Mechanism"):
``{"shop_id", "code": 3, "timestamp", "data": {"ordersn", "status", "update_time"}}``, signed in
the ``Authorization`` header with the hex HMAC-SHA256, keyed by the partner key, of
``<callback URL>|<body>``. The partner key is the one the hub holds (its client secret).
"""

import json
from datetime import datetime

from marketplaces.sandbox import orders
from marketplaces.sandbox.models import SandboxOrderFeed, SandboxPushMessage
from marketplaces.sandbox.push_conf import PushSender
from marketplaces.shopee.signing import push_signature
from marketplaces.shopee.standin import conf, views_api
from marketplaces.shopee.standin.directory import main_account_of, shop_by_id

ORDER_STATUS_PUSH = 3
# Not documented in what we hold; a few retries, compressed for development.
RETRY_SCHEDULE = (3, 10, 30)


def _shops_of(account_id: str) -> tuple[str, ...]:
    """A main account's pair covers its shops: each is notified as a shop's own grant is."""
    main = main_account_of(account_id)
    return tuple(str(shop) for shop in main.shop_ids) if main else (account_id,)


def _feed(account_id: str, now: datetime) -> SandboxOrderFeed | None:
    if shop_by_id(account_id) is None:
        return None
    return orders.ensure_orders(views_api.ORDERS, account_id, now=now)


def notification(message: SandboxPushMessage, *, now: datetime) -> dict:
    return {
        "shop_id": int(message.account_id),
        "code": ORDER_STATUS_PUSH,
        "timestamp": int(now.timestamp()),
        "data": {
            "ordersn": message.order_id,
            "status": message.order_status,
            "update_time": int(message.changed_at.timestamp()),
        },
    }


def _delivery(message: SandboxPushMessage, url: str, now: datetime) -> tuple[bytes, dict]:
    body = json.dumps(notification(message, now=now)).encode()
    return body, {"Authorization": push_signature(conf.partner_key(), url=url, body=body)}


SENDER = PushSender(
    stand_in=conf.STAND_IN,
    feed=_feed,
    notifies=lambda status: True,  # code 3: every status change of an order
    delivery=_delivery,
    retry_schedule=RETRY_SCHEDULE,
    covers=_shops_of,
)
