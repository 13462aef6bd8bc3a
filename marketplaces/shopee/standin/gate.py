"""The checks every call to the Shopee stand-in passes first: the partner, the timestamp and the
signature (open.shopee.com, "Authorization and Authentication"), answered in Shopee's error
shape ``{"error", "message", "request_id"}``."""

import hmac
import secrets
import time

from django.http import HttpRequest, HttpResponse

from marketplaces.sandbox import http
from marketplaces.shopee import signing
from marketplaces.shopee.standin import conf


def error(status: int, code: str, message: str) -> HttpResponse:
    body = {"error": code, "message": message, "request_id": secrets.token_hex(8)}
    return http.json_response(body, status)


def signature_problem(
    request: HttpRequest, api_path: str, *, shop_call: bool
) -> HttpResponse | None:
    """None when the call is signed by our partner within 5 minutes; else Shopee's refusal."""
    query = request.GET
    if any(len(values) > 1 for _name, values in query.lists()):
        return error(400, "error_param", "Repeated parameters.")
    if not hmac.compare_digest(query.get("partner_id", "").encode(), conf.partner_id().encode()):
        return error(403, "error_partner", "Invalid partner_id.")
    timestamp = query.get("timestamp", "")
    if not timestamp.isdigit():
        return error(400, "error_param", "timestamp is required.")
    if abs(time.time() - int(timestamp)) > signing.TIMESTAMP_TOLERANCE_SECONDS:
        return error(403, "error_sign", "The timestamp expired (valid for 5 minutes).")
    expected = signing.SignedCall(
        partner_id=conf.partner_id(),
        api_path=api_path,
        timestamp=int(timestamp),
        access_token=query.get("access_token", "") if shop_call else "",
        shop_id=query.get("shop_id", "") if shop_call else "",
    ).signature(conf.partner_key())
    if not hmac.compare_digest(query.get("sign", "").encode(), expected.encode()):
        return error(403, "error_sign", "Wrong sign.")
    return None
