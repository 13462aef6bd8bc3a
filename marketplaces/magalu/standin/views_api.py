"""ID Magalu's machine-facing endpoints: token, whoami/tenants, and the Magalu seller API.

Armed faults are taken before any work (``sandbox.http``), so a refused refresh never rotates a
token; the after-work faults rotate first and then lose or delay the answer.
"""

import uuid
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from marketplaces.magalu.standin import conf, issuer
from marketplaces.magalu.standin.directory import DEMO_TENANTS, tenant_by_uuid
from marketplaces.sandbox import faults, http, orders, tokens
from marketplaces.sandbox.tokens import OAuthError


def _grant(params: dict[str, str] | None, body_kind: str | None, grant_type: str) -> dict:
    if params is None:
        raise OAuthError(
            "invalid_request",
            "Unreadable body: authorization_code takes a JSON object, refresh_token a form.",
        )
    if not grant_type:
        raise OAuthError("invalid_request", "Missing parameter(s): grant_type.")
    # The body formats ID Magalu documents: JSON for the exchange, a form for the refresh.
    if grant_type == http.AUTHORIZATION_CODE and body_kind != http.JSON_BODY:
        raise OAuthError(
            "invalid_request",
            "grant_type=authorization_code must be sent as JSON (Content-Type: application/json).",
        )
    if grant_type == http.REFRESH_TOKEN and body_kind != http.FORM_BODY:
        raise OAuthError(
            "invalid_request",
            "grant_type=refresh_token must be sent form-encoded "
            "(Content-Type: application/x-www-form-urlencoded).",
        )
    tokens.authenticate_client(
        params, client_id=conf.client_id(), client_secret=conf.client_secret()
    )
    if grant_type == http.AUTHORIZATION_CODE:
        code, redirect_uri = http.required(params, "code", "redirect_uri")
        return issuer.exchange_code(
            client_id=params["client_id"],
            redirect_uri=redirect_uri,
            code=code,
            code_verifier=params.get("code_verifier"),
        )
    if grant_type == http.REFRESH_TOKEN:
        (refresh_token,) = http.required(params, "refresh_token")
        return issuer.refresh_tokens(refresh_token=refresh_token)
    raise OAuthError("unsupported_grant_type", "Only authorization_code and refresh_token.")


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    return http.token_endpoint(request, marketplace=conf.KEY, grant=_grant)


def _tenant_uuid(claims: dict) -> str:
    """The part of the ``tenant`` claim after the first dot, as Magalu's CLI reads it."""
    return str(claims.get("tenant", "")).partition(".")[2]


@require_GET
def whoami_tenants(request: HttpRequest) -> HttpResponse:
    """The tenants the signed-in person may act for (all of the demo person's)."""
    early, fault = http.api_gate(request, marketplace=conf.KEY, endpoint=faults.ACCOUNT)
    if early is not None:
        return early
    if issuer.verify_access_token(http.bearer_token(request)) is None:
        return http.unauthorized(request)
    tenants = [
        {
            "uuid": tenant.uuid,
            "legal_name": tenant.legal_name,
            "email": tenant.email,
            "is_delegated": False,
            "is_managed": False,
            "document": tenant.document_hint,
        }
        for tenant in DEMO_TENANTS
    ]
    return http.answer(request, tenants, fault)


def _seller_gate(request: HttpRequest):
    """Fault, then bearer token, then seller access: (early response or None, claims, fault)."""
    early, fault = http.api_gate(request, marketplace=conf.KEY)
    if early is not None:
        return early, None, None
    claims = issuer.verify_access_token(http.bearer_token(request))
    if claims is None:
        return http.unauthorized(request), None, None
    tenant = tenant_by_uuid(_tenant_uuid(claims))
    if tenant is None or not tenant.seller_access:
        # A login as a natural person (or an account without seller access) lacks the seller
        # scopes (Magalu seller docs, "Fazer login no ID Magalu").
        return (
            http.json_response(
                {"error": "forbidden", "message": "The chosen account has no seller access."}, 403
            ),
            None,
            None,
        )
    return None, claims, fault


@require_GET
def seller_orders(request: HttpRequest) -> HttpResponse:
    early, claims, fault = _seller_gate(request)
    if early is not None:
        return early
    limit = http.int_param(request, "_limit", 20, low=1, high=100)
    offset = http.int_param(request, "_offset", 0, low=0, high=10**9)
    since = http.time_param(request, "updated_at__gte")
    if since is False:
        return http.json_response(
            {"error": "invalid_filter", "message": "updated_at__gte is not a date-time"}, 400
        )
    feed = orders.ensure_orders(ORDERS, _tenant_uuid(claims))
    field, _, direction = request.GET.get("_sort", "created_at:desc").partition(":")
    field = field if field in ("created_at", "updated_at") else "created_at"
    prefix = "-" if direction == "desc" else ""
    rows, count = orders.page(
        feed,
        updated_since=since,
        offset=offset,
        limit=limit,
        order_by=(prefix + field, prefix + "id"),
    )
    body = {
        "results": [_order(row) for row in rows],
        "meta": {
            "page": {"offset": offset, "limit": limit, "count": count, "max_limit": 100},
            "links": {"previous": None, "next": None, "self": request.get_full_path()},
        },
    }
    return http.answer(request, body, fault)


@require_GET
def seller_order(request: HttpRequest, order_id: str) -> HttpResponse:
    """``GET /seller/v1/orders/{id}``: an order of the token's tenant; any other is not found."""
    early, claims, fault = _seller_gate(request)
    if early is not None:
        return early
    feed = orders.ensure_orders(ORDERS, _tenant_uuid(claims))
    row = feed.orders.filter(order_id=order_id).first()
    if row is None:
        return http.json_response({"error": "not_found", "message": "Order not found."}, 404)
    return http.answer(request, _order(row), fault)


def _order_ids(number: int) -> tuple[str, str]:
    return str(
        uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox-magalu-order-{number}")
    ), f"LU-{1000 + number}"


ORDERS = orders.OrderRules(
    marketplace=conf.KEY,
    # new -> approved -> invoiced -> shipped -> delivered, or cancelled before invoicing.
    path=orders.StatusPath(
        completed=(
            ("new", timedelta(0)),
            ("approved", timedelta(minutes=5)),
            ("invoiced", timedelta(hours=2)),
            ("shipped", timedelta(hours=20)),
            ("delivered", timedelta(days=3)),
        ),
        cancelled=(("new", timedelta(0)), ("cancelled", timedelta(minutes=40))),
    ),
    mean_gap=timedelta(minutes=30),
    make_ids=_order_ids,
)


def _order(row) -> dict:
    """An order as the seller API answers it, buyer included: the hub must keep none of it."""
    return {
        "id": row.order_id,
        "code": row.code,
        "status": row.status,
        "created_at": http.iso(row.created_at),
        "updated_at": http.iso(row.updated_at),
        "purchased_at": http.iso(row.created_at),
        "amounts": {"total": str(row.total), "currency": "BRL"},
        "customer": {"name": row.buyer_name, "document_number": "***.456.789-**"},
        "deliveries": [{"status": row.status}],
    }


def seller_api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other seller-API path: authenticated like the rest, then 404."""
    early, _claims, _fault = _seller_gate(request)
    if early is not None:
        return early
    return http.json_response(
        {"error": "not_found", "message": "Not implemented by the local stand-in."}, 404
    )
