"""Shopee's machine-facing endpoints: the two token calls, get_shop_info and the orders.

Every call is checked by ``gate`` (partner, timestamp, signature) before anything else; the
token calls take JSON bodies; faults are the stand-ins' shared switches.
"""

import json
import logging
import time
from datetime import UTC, datetime, timedelta

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from marketplaces.sandbox import faults, http, orders, tokens
from marketplaces.shopee import signing
from marketplaces.shopee.standin import conf, issuer
from marketplaces.shopee.standin.directory import main_account_of, shop_by_id
from marketplaces.shopee.standin.gate import error, signature_problem

logger = logging.getLogger(__name__)
# "The maximum date range ... is 15 days"; "page_size ... between 1 and 100"; up to 50 order_sn.
MAX_RANGE = timedelta(days=15)
AUTHORIZATION_LIFETIME = timedelta(days=365)


def _json_body(request: HttpRequest) -> dict | None:
    if request.content_type != "application/json":
        return None
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _token_call(request: HttpRequest, *, api_path: str, grant_type: str, work) -> HttpResponse:
    """A token call: latency, an armed fault, the signature, the work, the request log."""
    latency_ms = faults.token_latency_ms()
    if latency_ms:
        time.sleep(latency_ms / 1000)
    kind = faults.EXCHANGE if grant_type == http.AUTHORIZATION_CODE else faults.REFRESH
    fault = faults.take([faults.TOKEN, kind], marketplace=conf.KEY)

    def log(outcome: str) -> None:
        faults.record_token_request(marketplace=conf.KEY, grant_type=grant_type, outcome=outcome)

    if fault is not None and fault.mode not in faults.AFTER_WORK:
        log(f"fault:{fault.mode}")
        return http.no_store(http.fault_response(request, fault))
    if fault is not None and fault.mode == faults.SLOW:
        time.sleep(fault.delay_ms / 1000)
    refusal = signature_problem(request, api_path, shop_call=False)
    if refusal is not None:
        log("error_sign")
        return http.no_store(refusal)
    body = _json_body(request)
    if body is None or str(body.get("partner_id")) != conf.partner_id():
        log("error_param")
        return http.no_store(error(400, "error_param", "A JSON body with partner_id is required."))
    try:
        answer = work(body)
    except tokens.OAuthError as exc:
        # Shopee's words for a dead code or refresh token; the description holds no token.
        code = "error_auth" if exc.error == "invalid_grant" else exc.error
        log(exc.error)
        return http.no_store(error(403 if code == "error_auth" else 400, code, exc.description))
    if fault is not None and fault.mode != faults.SLOW:
        log(f"fault:{fault.mode}")
        return http.no_store(http.fault_response(request, fault))
    log("ok")
    logger.info("sandbox.token.issued", extra={"grant_type": grant_type})
    return http.no_store(http.json_response(answer))


def _number(body: dict, name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise tokens.OAuthError("error_param", f"{name} must be a number.")
    return value


def _shop_id(body: dict) -> int:
    return _number(body, "shop_id")


def _text(body: dict, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise tokens.OAuthError("error_param", f"{name} is required.")
    return value


@csrf_exempt
@require_POST
def token_get(request: HttpRequest) -> HttpResponse:
    def work(body: dict) -> dict:
        code = _text(body, "code")
        if "main_account_id" in body:  # "either the shop_id or main_account_id", input 1 only
            if "shop_id" in body:
                raise tokens.OAuthError("error_param", "Give shop_id or main_account_id, not both.")
            main_account_id = _number(body, "main_account_id")
            return issuer.exchange_main_account(code=code, main_account_id=main_account_id)
        return issuer.exchange(code=code, shop_id=_shop_id(body))

    return _token_call(
        request, api_path=signing.TOKEN_GET_PATH, grant_type=http.AUTHORIZATION_CODE, work=work
    )


@csrf_exempt
@require_POST
def access_token_get(request: HttpRequest) -> HttpResponse:
    def work(body: dict) -> dict:
        return issuer.renew(refresh_token=_text(body, "refresh_token"), shop_id=_shop_id(body))

    return _token_call(
        request, api_path=signing.ACCESS_TOKEN_GET_PATH, grant_type=http.REFRESH_TOKEN, work=work
    )


def _shop_gate(request: HttpRequest, api_path: str, endpoint: str = faults.API):
    """Fault, signature, then the shop's access token: (early answer or None, the token's
    family, shop_id, fault)."""
    early, fault = http.api_gate(request, marketplace=conf.KEY, endpoint=endpoint)
    if early is not None:
        return early, None, None, None
    refusal = signature_problem(request, api_path, shop_call=True)
    if refusal is not None:
        return refusal, None, None, None
    family = tokens.access_family(conf.KEY, request.GET.get("access_token", ""))
    shop_id = request.GET.get("shop_id", "")
    # A main account's pair covers its shops until each one's first refresh, which gives the
    # shop a pair of its own and ends the shared one's access to it.
    main = main_account_of(family.account_id) if family is not None else None
    covered = (
        main is not None
        and shop_id in {str(shop) for shop in main.shop_ids}
        and tokens.own_family(family, shop_id) is None
    )
    if family is None or (family.account_id != shop_id and not covered):
        return error(403, "invalid_access_token", "Invalid access_token."), None, None, None
    return None, family, shop_id, fault


def _ok(request: HttpRequest, body: dict, fault) -> HttpResponse:
    return http.answer(request, {"error": "", "message": "", "request_id": "sbx", **body}, fault)


@require_GET
def get_shop_info(request: HttpRequest) -> HttpResponse:
    early, family, shop_id, fault = _shop_gate(request, signing.SHOP_INFO_PATH, faults.ACCOUNT)
    if early is not None:
        return early
    shop = shop_by_id(shop_id)
    authorized = (family.parent or family).created_at
    return _ok(
        request,
        {
            "shop_name": shop.shop_name,
            "region": shop.region,
            "status": shop.status,
            "is_cb": shop.is_cb,
            "auth_time": int(authorized.timestamp()),
            "expire_time": int((authorized + AUTHORIZATION_LIFETIME).timestamp()),
        },
        fault,
    )


def _order_ids(number: int) -> tuple[str, str]:
    order_sn = f"2601{number:010d}SBX"
    return order_sn, order_sn


ORDERS = orders.OrderRules(
    marketplace=conf.KEY,
    # UNPAID -> INVOICE_PENDING (Brazil: the NF-e) -> READY_TO_SHIP -> SHIPPED -> COMPLETED.
    path=orders.StatusPath(
        completed=(
            ("UNPAID", timedelta(0)),
            ("INVOICE_PENDING", timedelta(minutes=3)),
            ("READY_TO_SHIP", timedelta(hours=2)),
            ("SHIPPED", timedelta(days=1)),
            ("COMPLETED", timedelta(days=5)),
        ),
        cancelled=(("UNPAID", timedelta(0)), ("CANCELLED", timedelta(hours=1))),
    ),
    mean_gap=timedelta(minutes=50),
    make_ids=_order_ids,
)


def _feed(shop_id: str):
    return orders.ensure_orders(ORDERS, shop_id)


@require_GET
def get_order_list(request: HttpRequest) -> HttpResponse:
    early, _family, shop_id, fault = _shop_gate(request, signing.ORDER_LIST_PATH)
    if early is not None:
        return early
    query = request.GET
    if query.get("time_range_field") not in ("create_time", "update_time"):
        return error(400, "error_param", "time_range_field must be create_time or update_time.")
    try:
        start, end = int(query["time_from"]), int(query["time_to"])
        page_size = int(query.get("page_size", "0"))
        offset = int(query.get("cursor") or 0)
    except (KeyError, ValueError):
        return error(400, "error_param", "time_from, time_to, page_size and cursor are numbers.")
    if not 0 <= end - start <= MAX_RANGE.total_seconds():
        return error(400, "error_param", "The time range must be 15 days or less.")
    if not 1 <= page_size <= 100 or offset < 0:
        return error(400, "error_param", "page_size must be between 1 and 100.")
    field = "updated_at" if query["time_range_field"] == "update_time" else "created_at"
    rows = list(
        _feed(shop_id)
        .orders.filter(
            **{
                f"{field}__gte": datetime.fromtimestamp(start, UTC),
                f"{field}__lte": datetime.fromtimestamp(end, UTC),
            }
        )
        .order_by(field, "id")[offset : offset + page_size + 1]
    )
    more = len(rows) > page_size
    body = {
        "more": more,
        "next_cursor": str(offset + page_size) if more else "",
        "order_list": [{"order_sn": row.order_id} for row in rows[:page_size]],
    }
    return _ok(request, {"response": body}, fault)


@require_GET
def get_order_detail(request: HttpRequest) -> HttpResponse:
    early, _family, shop_id, fault = _shop_gate(request, signing.ORDER_DETAIL_PATH)
    if early is not None:
        return early
    numbers = [n for n in request.GET.get("order_sn_list", "").split(",") if n]
    if not 1 <= len(numbers) <= 50:
        return error(400, "error_param", "order_sn_list takes 1 to 50 order_sn.")
    rows = _feed(shop_id).orders.filter(order_id__in=numbers).order_by("id")
    details = [
        {
            "order_sn": row.order_id,
            "order_status": row.status,
            "currency": "BRL",
            "total_amount": float(row.total),
            "create_time": int(row.created_at.timestamp()),
            "update_time": int(row.updated_at.timestamp()),
            "region": "BR",
            "buyer_username": row.buyer_name.lower().replace(" ", "."),
        }
        for row in rows
    ]
    return _ok(request, {"response": {"order_list": details}}, fault)


def api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return error(404, "error_not_found", "Not played by the local stand-in.")
