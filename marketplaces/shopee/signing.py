"""Shopee's signed calls (Open Platform v2, "Authorization and Authentication", open.shopee.com).

Every call carries ``partner_id``, ``timestamp`` (Unix seconds, accepted for 5 minutes) and
``sign``: HMAC-SHA256 keyed by the partner key over ``partner_id + api_path + timestamp``, plus
``access_token + shop_id`` on a shop's calls, hex-encoded. ``api_path`` is the documented path
(``/api/v2/auth/token/get``), whatever host serves it. Shared by the provider and its stand-in.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

AUTH_PARTNER_PATH = "/api/v2/shop/auth_partner"
TOKEN_GET_PATH = "/api/v2/auth/token/get"  # noqa: S105 (a path)
ACCESS_TOKEN_GET_PATH = "/api/v2/auth/access_token/get"  # noqa: S105 (a path)
SHOP_INFO_PATH = "/api/v2/shop/get_shop_info"
ORDER_LIST_PATH = "/api/v2/order/get_order_list"
ORDER_DETAIL_PATH = "/api/v2/order/get_order_detail"
# "The timestamp is valid for 5 minutes."
TIMESTAMP_TOLERANCE_SECONDS = 300


@dataclass(frozen=True, kw_only=True)
class SignedCall:
    """What a call's signature covers (a public call has no access_token and shop_id)."""

    partner_id: str
    api_path: str
    timestamp: int
    access_token: str = ""
    shop_id: str = ""

    def signature(self, partner_key: str) -> str:
        """The hex HMAC-SHA256 of the call, keyed by the partner key."""
        base = f"{self.partner_id}{self.api_path}{self.timestamp}{self.access_token}{self.shop_id}"
        return hmac.new(partner_key.encode(), base.encode(), hashlib.sha256).hexdigest()

    def query(self, partner_key: str) -> dict[str, str]:
        """The common query parameters of the call, its ``sign`` included."""
        query = {"partner_id": self.partner_id, "timestamp": str(self.timestamp)}
        if self.access_token:
            query |= {"access_token": self.access_token, "shop_id": self.shop_id}
        return query | {"sign": self.signature(partner_key)}


def push_signature(partner_key: str, *, url: str, body: bytes) -> str:
    """A push's ``Authorization``: the hex HMAC-SHA256, keyed by the partner key, of the
    callback URL, ``|`` and the raw body ("Push Mechanism", open.shopee.com)."""
    message = url.encode("utf-8", "surrogatepass") + b"|" + bytes(body)
    return hmac.new(partner_key.encode(), message, hashlib.sha256).hexdigest()
