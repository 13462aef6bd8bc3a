"""Shopee's signed calls (Open Platform v2, "Authorization and Authentication", open.shopee.com).

Every call carries ``partner_id``, ``timestamp`` (Unix seconds, accepted for 5 minutes) and
``sign``: HMAC-SHA256 keyed by the partner key over ``partner_id + api_path + timestamp``, plus
``access_token + shop_id`` on a shop's calls, hex-encoded. ``api_path`` is the documented path
(``/api/v2/auth/token/get``), whatever host serves it. Shared by the provider and its stand-in.
"""

from __future__ import annotations

import hashlib
import hmac

AUTH_PARTNER_PATH = "/api/v2/shop/auth_partner"
TOKEN_GET_PATH = "/api/v2/auth/token/get"  # noqa: S105 (a path)
ACCESS_TOKEN_GET_PATH = "/api/v2/auth/access_token/get"  # noqa: S105 (a path)
SHOP_INFO_PATH = "/api/v2/shop/get_shop_info"
ORDER_LIST_PATH = "/api/v2/order/get_order_list"
ORDER_DETAIL_PATH = "/api/v2/order/get_order_detail"
# "The timestamp is valid for 5 minutes."
TIMESTAMP_TOLERANCE_SECONDS = 300


def sign(
    partner_key: str,
    *,
    partner_id: str,
    api_path: str,
    timestamp: int,
    access_token: str = "",
    shop_id: str = "",
) -> str:
    """The hex HMAC-SHA256 of a call (a public call without access_token and shop_id)."""
    base = f"{partner_id}{api_path}{timestamp}{access_token}{shop_id}"
    return hmac.new(partner_key.encode(), base.encode(), hashlib.sha256).hexdigest()


def signed_query(
    partner_key: str,
    *,
    partner_id: str,
    api_path: str,
    timestamp: int,
    access_token: str = "",
    shop_id: str = "",
) -> dict[str, str]:
    """The common query parameters of a signed call."""
    query = {"partner_id": partner_id, "timestamp": str(timestamp)}
    if access_token:
        query |= {"access_token": access_token, "shop_id": shop_id}
    query["sign"] = sign(
        partner_key,
        partner_id=partner_id,
        api_path=api_path,
        timestamp=timestamp,
        access_token=access_token,
        shop_id=shop_id,
    )
    return query


def push_signature(partner_key: str, *, url: str, body: bytes) -> str:
    """A push's ``Authorization``: the hex HMAC-SHA256, keyed by the partner key, of the
    callback URL, ``|`` and the raw body ("Push Mechanism", open.shopee.com)."""
    message = url.encode("utf-8", "surrogatepass") + b"|" + bytes(body)
    return hmac.new(partner_key.encode(), message, hashlib.sha256).hexdigest()
