"""Notification bodies as the marketplaces send them, for the push benchmarks' senders.

Shapes from each marketplace's parser docstring (marketplaces/<key>/push.py): Mercado Livre's
``orders_v2`` notice, Magalu's order webhook (with the tenant uuid the parser reads), Shopee's
code 3 push signed with the partner key over ``url|body``.
"""

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime

ML_APPLICATION_ID = 5_503_910_054_141_466


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def mercadolivre(user_id: str, order_id: str, *, received: str | None = None) -> bytes:
    """One ``orders_v2`` notice; the same ``received`` makes a retry of the same event."""
    now = _now_iso()
    return json.dumps(
        {
            "resource": f"/orders/{order_id}",
            "user_id": int(user_id),
            "topic": "orders_v2",
            "application_id": ML_APPLICATION_ID,
            "attempts": 1,
            "sent": now,
            "received": received or now,
        }
    ).encode()


def magalu(tenant_id: str, order_id: str, *, status: str = "new") -> bytes:
    return json.dumps(
        {
            "tenant_id": tenant_id,
            "data": {
                "status": status,
                "params": {"id": order_id},
                "resource": f"/seller/v1/orders/{order_id}",
            },
        }
    ).encode()


def shopee(shop_id: str, order_sn: str, *, status: str = "READY_TO_SHIP") -> bytes:
    return json.dumps(
        {
            "shop_id": int(shop_id),
            "code": 3,
            "timestamp": int(time.time()),
            "data": {"ordersn": order_sn, "status": status, "update_time": int(time.time())},
        }
    ).encode()


def shopee_signature(partner_key: str, *, url: str, body: bytes) -> str:
    """The ``Authorization`` header: hex HMAC-SHA256 of ``<callback URL>|<body>``."""
    return hmac.new(partner_key.encode(), url.encode() + b"|" + body, hashlib.sha256).hexdigest()


BUILDERS = {"mercadolivre": mercadolivre, "magalu": magalu, "shopee": shopee}
