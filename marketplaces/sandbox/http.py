"""What every stand-in's machine-facing endpoints share: JSON answers, armed faults, bearer
tokens, and the token endpoint's skeleton (latency, faults, the request log)."""

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from marketplaces.sandbox import faults
from marketplaces.sandbox.tokens import OAuthError

logger = logging.getLogger(__name__)

# Read by tests/sandbox_http.py, which turns these answers into requests' own exceptions.
SIMULATE_HEADER = "X-Sandbox-Simulate"
JSON_BODY = "json"
FORM_BODY = "form"
AUTHORIZATION_CODE = "authorization_code"
REFRESH_TOKEN = "refresh_token"  # noqa: S105 - a grant type name


def json_response(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def no_store(response: HttpResponse) -> HttpResponse:
    # RFC 6749 §5.1: token responses must not be cached.
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


# The status and RFC 6749 / RFC 6750 style error code of each simple fault.
_FAULT_ANSWERS = {
    faults.TIMEOUT: (504, "gateway_timeout"),
    faults.LOST_RESPONSE: (504, "gateway_timeout"),
    faults.CONNECT_ERROR: (502, "bad_gateway"),
    faults.SERVER_ERROR: (500, "server_error"),
    faults.CRASH: (500, "server_error"),
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
    if mode == faults.DROP:
        # A gateway's own page: the upstream acted, its answer never made it through.
        return HttpResponse(
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            status=502,
            content_type="text/html",
        )
    if mode in (faults.TIMEOUT, faults.LOST_RESPONSE):
        time.sleep(fault.delay_ms / 1000)
    status, error = _FAULT_ANSWERS[mode]
    response = json_response({"error": error, "error_description": f"Simulated ({mode})."}, status)
    if mode in (faults.TIMEOUT, faults.LOST_RESPONSE):
        response[SIMULATE_HEADER] = "read-timeout"
    elif mode == faults.CONNECT_ERROR:
        response[SIMULATE_HEADER] = "connect-error"
    elif mode == faults.RATE_LIMITED and fault.retry_after is not None:
        response["Retry-After"] = str(fault.retry_after)
    elif mode == faults.UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


# --- Token endpoints -----------------------------------------------------------------------------


def read_params(request: HttpRequest) -> tuple[dict[str, str] | None, str | None]:
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


def required(params: dict[str, str], *names: str) -> list[str]:
    missing = [name for name in names if not params.get(name)]
    if missing:
        raise OAuthError("invalid_request", f"Missing parameter(s): {', '.join(missing)}.")
    return [params[name] for name in names]


def _token_fault_endpoints(grant_type: str) -> list[str]:
    if grant_type == AUTHORIZATION_CODE:
        return [faults.TOKEN, faults.EXCHANGE]
    if grant_type == REFRESH_TOKEN:
        return [faults.TOKEN, faults.REFRESH]
    return [faults.TOKEN]


# (params or None, how the body came, grant_type) -> the token response body, or OAuthError.
Granter = Callable[[dict[str, str] | None, str | None, str], dict]


def token_endpoint(request: HttpRequest, *, marketplace: str, grant: Granter) -> HttpResponse:
    """A stand-in's token endpoint: latency, an armed fault, the grant itself, the request log."""
    params, body_kind = read_params(request)
    grant_type = (params or {}).get("grant_type", "")
    latency_ms = faults.token_latency_ms()
    if latency_ms:
        time.sleep(latency_ms / 1000)
    fault = faults.take(_token_fault_endpoints(grant_type), marketplace=marketplace)

    def log(outcome: str) -> None:
        faults.record_token_request(marketplace=marketplace, grant_type=grant_type, outcome=outcome)

    if fault is not None and fault.mode not in faults.AFTER_WORK:
        log(f"fault:{fault.mode}")
        return no_store(fault_response(request, fault))
    if fault is not None and fault.mode == faults.SLOW:
        time.sleep(fault.delay_ms / 1000)
    try:
        body = grant(params, body_kind, grant_type)
    except OAuthError as error:
        log(error.error)
        logger.info("sandbox.token.refused", extra={"grant_type": grant_type, "error": error.error})
        return no_store(json_response(error.as_dict(), error.status))
    if fault is not None:
        log(f"fault:{fault.mode}")
        if fault.mode != faults.SLOW:  # the work is done; the answer is lost or replaced
            return no_store(fault_response(request, fault))
    else:
        log("ok")
    logger.info("sandbox.token.issued", extra={"grant_type": grant_type})
    return no_store(json_response(body))


# --- Bearer-protected endpoints ------------------------------------------------------------------


def bearer_token(request: HttpRequest) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def unauthorized(request: HttpRequest) -> JsonResponse:
    response = json_response(
        {"error": "invalid_token", "error_description": "Missing, invalid or expired token."}, 401
    )
    # RFC 6750 §3: no error code when the request carried no token at all.
    has_token = "Authorization" in request.headers
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"' if has_token else "Bearer"
    return response


def int_param(request: HttpRequest, name: str, default: int, *, low: int, high: int) -> int:
    try:
        value = int(request.GET.get(name, default))
    except ValueError:
        value = default
    return max(low, min(high, value))


def time_param(request: HttpRequest, name: str):
    """An ISO 8601 date-time query parameter: None when absent, False when unreadable."""
    value = request.GET.get(name)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        return False
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def api_gate(request: HttpRequest, *, marketplace: str, endpoint: str = faults.API):
    """What every API call goes through first: an armed fault taken before the work.

    Returns (early response or None, the after-work fault to apply to the answer, or None).
    """
    fault = faults.take([endpoint], marketplace=marketplace)
    if fault is not None and fault.mode not in faults.AFTER_WORK:
        return fault_response(request, fault), None
    if fault is not None and fault.mode == faults.SLOW:
        time.sleep(fault.delay_ms / 1000)
        fault = None
    return None, fault


def answer(request: HttpRequest, body, fault, status: int = 200) -> HttpResponse:
    """The API's answer, or what an after-work fault turns it into."""
    return fault_response(request, fault) if fault is not None else json_response(body, status)
