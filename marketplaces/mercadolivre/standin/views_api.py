"""Mercado Livre's machine-facing endpoints: token, /users/me and the seller API."""

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from marketplaces.mercadolivre.standin import conf, issuer
from marketplaces.mercadolivre.standin.directory import SandboxUser, user_by_id
from marketplaces.sandbox import faults, http, orders, tokens


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    return http.token_endpoint(request, marketplace=conf.KEY, grant=issuer.grant)


def _error(status: int, error: str, message: str) -> HttpResponse:
    """Mercado Livre's API error body."""
    return http.json_response(
        {"message": message, "error": error, "status": status, "cause": []}, status
    )


def _user_gate(request: HttpRequest, endpoint: str = faults.API):
    """Fault, then bearer token, then the operator rule: (early response or None, user, fault)."""
    early, fault = http.api_gate(request, marketplace=conf.KEY, endpoint=endpoint)
    if early is not None:
        return early, None, None
    family = tokens.access_family(conf.KEY, http.bearer_token(request))
    user = user_by_id(family.account_id) if family is not None else None
    if user is None:
        return _error(401, "unauthorized", "invalid access token"), None, None
    if user.is_operator:
        # A grant an operator (collaborator) obtained works for nothing.
        return (
            _error(403, "invalid_operator_user_id", "operator users cannot use this app"),
            None,
            None,
        )
    return None, user, fault


def _me(user: SandboxUser) -> dict:
    first, _, last = user.nickname.title().partition(".")
    return {
        "id": user.user_id,
        "nickname": user.nickname,
        "site_id": user.site_id,
        "user_type": "normal",
        "email": user.email,
        "first_name": first,
        "last_name": last,
        "identification": {"type": user.document_type, "number": user.document_number},
    }


@require_GET
def users_me(request: HttpRequest) -> HttpResponse:
    early, user, fault = _user_gate(request, endpoint=faults.ACCOUNT)
    if early is not None:
        return early
    return http.answer(request, _me(user), fault)


@require_GET
def orders_search(request: HttpRequest) -> HttpResponse:
    early, user, fault = _user_gate(request)
    if early is not None:
        return early
    if request.GET.get("seller") != str(user.user_id):
        return _error(403, "forbidden", "the seller is not the token's user")
    limit = http.int_param(request, "limit", 50, low=1, high=50)
    offset = http.int_param(request, "offset", 0, low=0, high=10**9)
    since = http.time_param(request, "order.date_last_updated.from")
    if since is False:
        return _error(400, "bad_request", "order.date_last_updated.from is not a date")
    feed = orders.ensure_orders(ORDERS, str(user.user_id))
    ascending = request.GET.get("sort", "date_desc") == "date_asc"
    order_by = ("created_at", "id") if ascending else ("-created_at", "-id")
    rows, total = orders.page(
        feed, updated_since=since, offset=offset, limit=limit, order_by=order_by
    )
    body = {
        "query": "",
        "results": [_order(row, user) for row in rows],
        "paging": {"total": total, "offset": offset, "limit": limit},
        "sort": {"id": "date_asc" if ascending else "date_desc", "name": "Date"},
    }
    return http.answer(request, body, fault)


@require_GET
def order(request: HttpRequest, order_id: int) -> HttpResponse:
    """``GET /orders/{id}``: the token's user's order; another seller's is forbidden, as on
    Mercado Livre (a caller may only read the orders it sold or bought)."""
    early, user, fault = _user_gate(request)
    if early is not None:
        return early
    feed = orders.ensure_orders(ORDERS, str(user.user_id))
    row = feed.orders.filter(order_id=str(order_id)).first()
    if row is not None:
        return http.answer(request, _order(row, user), fault)
    if orders.exists_elsewhere(conf.KEY, str(order_id), feed):
        return _error(403, "forbidden", "the caller is not authorized to read this order")
    return _error(404, "not_found", f"order {order_id} not found")


def _order_ids(number: int) -> tuple[str, str]:
    order_id = str(2000000000000 + number)
    return order_id, order_id


ORDERS = orders.OrderRules(
    marketplace=conf.KEY,
    # confirmed -> paid (shipping is its own resource on Mercado Livre), or cancelled.
    path=orders.StatusPath(
        completed=(("confirmed", timedelta(0)), ("paid", timedelta(minutes=2))),
        cancelled=(("confirmed", timedelta(0)), ("cancelled", timedelta(hours=1))),
    ),
    mean_gap=timedelta(minutes=40),
    make_ids=_order_ids,
)


def _order(row, user: SandboxUser) -> dict:
    """An order as /orders/search answers it, buyer included: the hub must keep none of it."""
    return {
        "id": int(row.order_id),
        "status": row.status,
        "date_created": http.iso(row.created_at),
        "date_closed": http.iso(row.created_at),
        "date_last_updated": http.iso(row.updated_at),
        "total_amount": float(row.total),
        "currency_id": "BRL",
        "seller": {"id": user.user_id},
        "buyer": {"id": 900000000 + int(row.order_id) % 1000, "nickname": row.buyer_name.upper()},
    }


def api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    early, _user, _fault = _user_gate(request)
    if early is not None:
        return early
    return _error(404, "not_found", "not implemented by the local stand-in")
