"""The machine-facing endpoints: token, whoami/tenants and the seller API.

Armed faults are taken before any real work, so a faulted refresh never rotates a token.
"""

import hmac
import json
import logging
import time

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from integrations.sandbox import conf, faults, issuer
from integrations.sandbox.directory import seller_tenants, tenant_by_uuid
from integrations.sandbox.issuer import AUTHORIZATION_CODE, REFRESH_TOKEN, OAuthError

logger = logging.getLogger(__name__)

# Read by tests/sandbox_http.py, which turns these answers into requests' own exceptions.
SIMULATE_HEADER = "X-Sandbox-Simulate"
JSON_BODY = "json"
FORM_BODY = "form"


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


# The status and RFC 6749 / RFC 6750 style error code of each simple fault.
_FAULT_ANSWERS = {
    faults.TIMEOUT: (504, "gateway_timeout"),
    faults.LOST_RESPONSE: (504, "gateway_timeout"),
    faults.CONNECT_ERROR: (502, "bad_gateway"),
    faults.SERVER_ERROR: (500, "server_error"),
    faults.UNAVAILABLE: (503, "temporarily_unavailable"),
    faults.RATE_LIMITED: (429, "too_many_requests"),
    faults.INVALID_GRANT: (400, "invalid_grant"),
    faults.INVALID_CLIENT: (401, "invalid_client"),
    faults.UNAUTHORIZED: (401, "invalid_token"),
}


def fault_response(request: HttpRequest, fault) -> HttpResponse:
    """The answer an armed fault stands for."""
    mode = fault.mode
    logger.info("sandbox.fault.served", extra={"mode": mode, "path": request.path})
    if mode == faults.REDIRECT:
        # Somewhere that answers HTML, as a login page or a captive portal would.
        return HttpResponseRedirect(request.build_absolute_uri(reverse("sandbox:home")))
    if mode in (faults.TIMEOUT, faults.LOST_RESPONSE):
        time.sleep(fault.delay_ms / 1000)
    status, error = _FAULT_ANSWERS[mode]
    response = _json({"error": error, "error_description": f"Simulated ({mode})."}, status)
    if mode in (faults.TIMEOUT, faults.LOST_RESPONSE):
        response[SIMULATE_HEADER] = "read-timeout"
    elif mode == faults.CONNECT_ERROR:
        response[SIMULATE_HEADER] = "connect-error"
    elif mode == faults.RATE_LIMITED and fault.retry_after is not None:
        response["Retry-After"] = str(fault.retry_after)
    elif mode == faults.UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


# --- Token endpoint ------------------------------------------------------------------------------


def _read_params(request: HttpRequest) -> tuple[dict[str, str] | None, str | None]:
    """The body's parameters and how they came (JSON or form); None when unreadable."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"null")
        except (ValueError, UnicodeDecodeError):
            return None, JSON_BODY
        if not isinstance(data, dict):
            return None, JSON_BODY
        return {key: value for key, value in data.items() if isinstance(value, str)}, JSON_BODY
    if request.content_type == "application/x-www-form-urlencoded":
        # RFC 6749 §3.2: request parameters must not be included more than once.
        if any(len(values) > 1 for _key, values in request.POST.lists()):
            return None, FORM_BODY
        return {key: request.POST[key] for key in request.POST}, FORM_BODY
    return None, None


def _token_fault_endpoints(grant_type: str) -> list[str]:
    if grant_type == AUTHORIZATION_CODE:
        return [faults.TOKEN, faults.EXCHANGE]
    if grant_type == REFRESH_TOKEN:
        return [faults.TOKEN, faults.REFRESH]
    return [faults.TOKEN]


def _authenticate_client(params: dict[str, str]) -> None:
    client_id_ok = hmac.compare_digest(
        params.get("client_id", "").encode(), conf.client_id().encode()
    )
    secret_ok = hmac.compare_digest(
        params.get("client_secret", "").encode(), conf.client_secret().encode()
    )
    if not (client_id_ok and secret_ok):
        raise OAuthError("invalid_client", "Client authentication failed.", status=401)


def _required(params: dict[str, str], *names: str) -> list[str]:
    missing = [name for name in names if not params.get(name)]
    if missing:
        raise OAuthError("invalid_request", f"Missing parameter(s): {', '.join(missing)}.")
    return [params[name] for name in names]


def _grant(params: dict[str, str] | None, body_kind: str | None, grant_type: str) -> dict:
    if params is None:
        raise OAuthError(
            "invalid_request",
            "Unreadable body: authorization_code takes a JSON object, refresh_token a form.",
        )
    if not grant_type:
        raise OAuthError("invalid_request", "Missing parameter(s): grant_type.")
    # The body formats ID Magalu documents: JSON for the exchange, a form for the refresh.
    if grant_type == AUTHORIZATION_CODE and body_kind != JSON_BODY:
        raise OAuthError(
            "invalid_request",
            "grant_type=authorization_code must be sent as JSON (Content-Type: application/json).",
        )
    if grant_type == REFRESH_TOKEN and body_kind != FORM_BODY:
        raise OAuthError(
            "invalid_request",
            "grant_type=refresh_token must be sent form-encoded "
            "(Content-Type: application/x-www-form-urlencoded).",
        )
    _authenticate_client(params)
    if grant_type == AUTHORIZATION_CODE:
        code, redirect_uri = _required(params, "code", "redirect_uri")
        return issuer.exchange_code(
            client_id=params["client_id"],
            redirect_uri=redirect_uri,
            code=code,
            code_verifier=params.get("code_verifier"),
        )
    if grant_type == REFRESH_TOKEN:
        (refresh_token,) = _required(params, "refresh_token")
        return issuer.refresh_tokens(refresh_token=refresh_token)
    raise OAuthError("unsupported_grant_type", "Only authorization_code and refresh_token.")


def _no_store(response: HttpResponse) -> HttpResponse:
    # RFC 6749 §5.1: token responses must not be cached.
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@csrf_exempt
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    params, body_kind = _read_params(request)
    grant_type = (params or {}).get("grant_type", "")
    latency_ms = faults.token_latency_ms()
    if latency_ms:
        time.sleep(latency_ms / 1000)
    fault = faults.take(_token_fault_endpoints(grant_type))
    if fault is not None and fault.mode != faults.LOST_RESPONSE:
        faults.record_token_request(grant_type=grant_type, outcome=f"fault:{fault.mode}")
        return _no_store(fault_response(request, fault))
    try:
        body = _grant(params, body_kind, grant_type)
    except OAuthError as error:
        faults.record_token_request(grant_type=grant_type, outcome=error.error)
        logger.info("sandbox.token.refused", extra={"grant_type": grant_type, "error": error.error})
        return _no_store(_json(error.as_dict(), error.status))
    if fault is not None:  # LOST_RESPONSE: the work is done, the answer never arrives
        faults.record_token_request(grant_type=grant_type, outcome=f"fault:{fault.mode}")
        return _no_store(fault_response(request, fault))
    faults.record_token_request(grant_type=grant_type, outcome="ok")
    logger.info("sandbox.token.issued", extra={"grant_type": grant_type})
    return _no_store(_json(body))


# --- Bearer-protected endpoints ------------------------------------------------------------------


def _bearer_claims(request: HttpRequest) -> dict | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return issuer.verify_access_token(value.strip())


def _unauthorized(request: HttpRequest) -> JsonResponse:
    response = _json(
        {"error": "invalid_token", "error_description": "Missing, invalid or expired token."}, 401
    )
    # RFC 6750 §3: no error code when the request carried no token at all.
    has_token = "Authorization" in request.headers
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"' if has_token else "Bearer"
    return response


def _tenant_uuid(claims: dict) -> str:
    """The part of the ``tenant`` claim after the first dot, as Magalu's CLI reads it."""
    return str(claims.get("tenant", "")).partition(".")[2]


@require_GET
def whoami_tenants(request: HttpRequest) -> HttpResponse:
    fault = faults.take([faults.TENANTS])
    if fault is not None and fault.mode != faults.LOST_RESPONSE:
        return fault_response(request, fault)
    if _bearer_claims(request) is None:
        return _unauthorized(request)
    tenants = [
        {
            "uuid": tenant.uuid,
            "legal_name": tenant.legal_name,
            "email": tenant.email,
            "is_delegated": False,
            "is_managed": False,
        }
        for tenant in seller_tenants()
    ]
    return fault_response(request, fault) if fault is not None else _json(tenants)


def _seller_claims_or_error(request: HttpRequest) -> tuple[dict | None, HttpResponse | None]:
    claims = _bearer_claims(request)
    if claims is None:
        return None, _unauthorized(request)
    tenant = tenant_by_uuid(_tenant_uuid(claims))
    if tenant is None or not tenant.seller_access:
        # A login as a natural person (or an account without seller access) lacks the seller
        # scopes (Magalu seller docs, "Fazer login no ID Magalu").
        return None, _json(
            {"error": "forbidden", "message": "The chosen account has no seller access."}, 403
        )
    return claims, None


def _int_param(request: HttpRequest, name: str, default: int, *, low: int, high: int) -> int:
    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        value = default
    return max(low, min(high, value))


def _seller_api_gate(request: HttpRequest):
    """What every seller-API call goes through first: an armed fault, then the bearer token.

    Returns (early response or None, the fault to apply after the work, for ``lost_response``).
    """
    fault = faults.take([faults.API])
    if fault is not None and fault.mode != faults.LOST_RESPONSE:
        return fault_response(request, fault), None
    _claims, error = _seller_claims_or_error(request)
    return error, fault


@require_GET
def seller_orders(request: HttpRequest) -> HttpResponse:
    early, fault = _seller_api_gate(request)
    if early is not None:
        return early
    limit = _int_param(request, "_limit", 20, low=1, high=100)
    offset = _int_param(request, "_offset", 0, low=0, high=10**9)
    body = {
        "results": [],
        "meta": {
            "page": {"offset": offset, "limit": limit, "count": 0, "max_limit": 100},
            "links": {"previous": None, "next": None, "self": request.get_full_path()},
        },
    }
    return fault_response(request, fault) if fault is not None else _json(body)


def seller_api_not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other seller-API path: authenticated like the rest, then 404."""
    early, _fault = _seller_api_gate(request)
    if early is not None:
        return early
    return _json({"error": "not_found", "message": "Not implemented by the local stand-in."}, 404)
