"""Mercado Livre's machine-facing endpoints: token, /users/me and the seller API."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from integrations.sandbox import faults, http, tokens
from integrations.sandbox.mercadolivre import conf, issuer
from integrations.sandbox.mercadolivre.directory import SandboxUser, user_by_id


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
    body = {
        "query": "",
        "results": [],
        "paging": {"total": 0, "offset": offset, "limit": limit},
        "sort": {"id": "date_desc", "name": "Date descending"},
    }
    return http.answer(request, body, fault)


def api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    early, _user, _fault = _user_gate(request)
    if early is not None:
        return early
    return _error(404, "not_found", "not implemented by the local stand-in")
