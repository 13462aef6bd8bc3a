"""Fault switches and the token-endpoint request log, kept in the database.

The database (not process memory) holds the state so that every process serving or calling the
stand-in sees it: a Celery worker, a live-server thread, the test itself.
"""

from django.db.models import F

from integrations.sandbox.models import SandboxFault, SandboxLatency, SandboxTokenRequest

TOKEN = "token"  # noqa: S105 - an endpoint name
EXCHANGE = "exchange"
REFRESH = "refresh"
TENANTS = "tenants"
API = "api"
ENDPOINTS = frozenset({TOKEN, EXCHANGE, REFRESH, TENANTS, API})

TIMEOUT = "timeout"
CONNECT_ERROR = "connect_error"
SERVER_ERROR = "server_error"
UNAVAILABLE = "unavailable"
RATE_LIMITED = "rate_limited"
INVALID_GRANT = "invalid_grant"
INVALID_CLIENT = "invalid_client"
REDIRECT = "redirect"
UNAUTHORIZED = "unauthorized"
# The real work is done (a refresh rotates), then the answer is lost as if the read timed out.
LOST_RESPONSE = "lost_response"
MODES = frozenset(
    {
        TIMEOUT,
        CONNECT_ERROR,
        SERVER_ERROR,
        UNAVAILABLE,
        RATE_LIMITED,
        INVALID_GRANT,
        INVALID_CLIENT,
        REDIRECT,
        UNAUTHORIZED,
        LOST_RESPONSE,
    }
)

_LATENCY_ROW = 1


def arm(
    endpoint: str,
    mode: str,
    *,
    times: int = 1,
    retry_after: int | None = None,
    delay_ms: int = 3000,
) -> SandboxFault:
    """Make the next ``times`` calls to ``endpoint`` fail with ``mode``."""
    if endpoint not in ENDPOINTS:
        raise ValueError(f"Unknown endpoint {endpoint!r}; expected one of {sorted(ENDPOINTS)}.")
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; expected one of {sorted(MODES)}.")
    if times < 1:
        raise ValueError("times must be at least 1.")
    return SandboxFault.objects.create(
        endpoint=endpoint, mode=mode, remaining=times, retry_after=retry_after, delay_ms=delay_ms
    )


def set_latency(ms: int) -> None:
    """Add ``ms`` milliseconds to every token-endpoint call; 0 turns it off."""
    if ms < 0:
        raise ValueError("Latency cannot be negative.")
    SandboxLatency.objects.update_or_create(pk=_LATENCY_ROW, defaults={"token_ms": ms})


def clear() -> None:
    """Disarm every fault and turn latency off (the request log is kept)."""
    SandboxFault.objects.all().delete()
    SandboxLatency.objects.filter(pk=_LATENCY_ROW).update(token_ms=0)


def token_latency_ms() -> int:
    return (
        SandboxLatency.objects.filter(pk=_LATENCY_ROW).values_list("token_ms", flat=True).first()
        or 0
    )


def take(endpoints: list[str]) -> SandboxFault | None:
    """Consume one use of the oldest fault armed for any of ``endpoints``, if there is one."""
    candidates = SandboxFault.objects.filter(endpoint__in=endpoints, remaining__gt=0).order_by("pk")
    for fault in candidates:
        # Conditional decrement: two concurrent calls never share the last use.
        if SandboxFault.objects.filter(pk=fault.pk, remaining__gt=0).update(
            remaining=F("remaining") - 1
        ):
            return fault
    return None


def record_token_request(*, grant_type: str, outcome: str) -> None:
    SandboxTokenRequest.objects.create(grant_type=grant_type[:40], outcome=outcome[:40])


def token_requests(grant_type: str | None = None, *, outcome: str | None = None) -> int:
    """How many token-endpoint calls were made, optionally for one grant type and/or outcome.

    Outcomes: ``ok``, an RFC 6749 error code (``invalid_grant`` ...) or ``fault:<mode>``.
    """
    requests = SandboxTokenRequest.objects.all()
    if grant_type is not None:
        requests = requests.filter(grant_type=grant_type)
    if outcome is not None:
        requests = requests.filter(outcome=outcome)
    return requests.count()


def clear_token_requests() -> None:
    SandboxTokenRequest.objects.all().delete()
