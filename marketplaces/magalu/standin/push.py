"""Magalu's order webhooks, as the stand-in sends them (developers.magalu.com,
"seller-pedidos/webhooks"): ``{"data": {"status": "new|approved|cancelled|finished",
"params": {"id": …}, "resource": …}}``.

Not confirmed by anything we hold: how the account is named (here a top-level ``tenant_id``, the
tenant's uuid, as the hub's parser assumes), a signature (none is sent), the retry policy (a few
retries, compressed for development).
"""

import json
from datetime import datetime

from marketplaces.magalu.standin import conf, views_api
from marketplaces.magalu.standin.directory import tenant_by_uuid
from marketplaces.sandbox import orders
from marketplaces.sandbox.models import SandboxOrderFeed, SandboxPushMessage
from marketplaces.sandbox.push_conf import PushSender

# The order webhook's statuses, from the order's own: invoicing and shipping are the delivery
# webhooks' news, not the order's.
WEBHOOK_STATUS = {
    "new": "new",
    "approved": "approved",
    "cancelled": "cancelled",
    "delivered": "finished",
}
RETRY_SCHEDULE = (5, 15, 60)


def _feed(account_id: str, now: datetime) -> SandboxOrderFeed | None:
    tenant = tenant_by_uuid(account_id)
    if tenant is None or not tenant.seller_access:
        return None  # a person's login, or an account without seller access, has no orders
    return orders.ensure_orders(views_api.ORDERS, account_id, now=now)


def notification(message: SandboxPushMessage) -> dict:
    return {
        "data": {
            "status": WEBHOOK_STATUS[message.order_status],
            "params": {"id": message.order_id},
            "resource": f"/seller/v1/orders/{message.order_id}",
        },
        "tenant_id": message.account_id,
    }


def _delivery(message: SandboxPushMessage, url: str, now: datetime) -> tuple[bytes, dict]:
    return json.dumps(notification(message)).encode(), {}


SENDER = PushSender(
    stand_in=conf.STAND_IN,
    feed=_feed,
    notifies=WEBHOOK_STATUS.__contains__,
    delivery=_delivery,
    retry_schedule=RETRY_SCHEDULE,
)
