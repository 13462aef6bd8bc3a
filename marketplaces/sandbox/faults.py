"""Fault switches, shared by every stand-in, and the token-endpoint request log.

The database (not process memory) holds the state so that every process serving or calling the
stand-ins sees it: a Celery worker, a live-server thread, the test itself.

Faults that refuse (taken before any work): a refresh token sent then is NOT rotated. Faults that
act first and then misbehave (``LOST_RESPONSE``, ``DROP``, ``SLOW``, ``CRASH``) model a server that
did the work while the client learnt nothing, learnt it too late, or learnt only that something
failed: the outcomes a client must tell apart are done, refused, answered in doubt and unknown.
"""

from django.db.models import F, Q

from marketplaces.sandbox.models import SandboxFault, SandboxSwitches, SandboxTokenRequest

TOKEN = "token"  # noqa: S105 - an endpoint name
EXCHANGE = "exchange"
REFRESH = "refresh"
ACCOUNT = "account"  # who authorized: whoami/tenants, users/me
API = "api"  # the seller API
ENDPOINTS = frozenset({TOKEN, EXCHANGE, REFRESH, ACCOUNT, API})

# Refused before any work.
TIMEOUT = "timeout"
CONNECT_ERROR = "connect_error"
SERVER_ERROR = "server_error"
UNAVAILABLE = "unavailable"
RATE_LIMITED = "rate_limited"
INVALID_GRANT = "invalid_grant"
INVALID_CLIENT = "invalid_client"
REDIRECT = "redirect"
UNAUTHORIZED = "unauthorized"
# The work is done (a refresh rotates), then the answer is lost as if the read timed out.
LOST_RESPONSE = "lost_response"
# The work is done, then a gateway answers 502 in the server's place.
DROP = "drop"
# The request waits delay_ms before it is processed and answered: a client whose read timeout is
# shorter has given up (and may have retried) by the time the server acts on it.
SLOW = "slow"
# The work is done (a refresh rotates), then the server itself fails with a 500: it answered, so
# nothing lands later, but the answer does not say that the work was done.
CRASH = "crash"
AFTER_WORK = frozenset({LOST_RESPONSE, DROP, SLOW, CRASH})
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
        *AFTER_WORK,
    }
)

_SWITCHES_ROW = 1


def arm(
    endpoint: str,
    mode: str,
    *,
    marketplace: str = "",
    times: int = 1,
    retry_after: int | None = None,
    delay_ms: int = 3000,
) -> SandboxFault:
    """Make the next ``times`` calls to ``endpoint`` (of one stand-in, or of any) fail."""
    if endpoint not in ENDPOINTS:
        raise ValueError(f"Unknown endpoint {endpoint!r}; expected one of {sorted(ENDPOINTS)}.")
    if mode not in MODES:
        raise ValueError(f"Unknown mode {mode!r}; expected one of {sorted(MODES)}.")
    if times < 1:
        raise ValueError("times must be at least 1.")
    return SandboxFault.objects.create(
        marketplace=marketplace,
        endpoint=endpoint,
        mode=mode,
        remaining=times,
        retry_after=retry_after,
        delay_ms=delay_ms,
    )


def take(endpoints: list[str], *, marketplace: str) -> SandboxFault | None:
    """Consume one use of the oldest fault armed for any of ``endpoints``, if there is one."""
    candidates = SandboxFault.objects.filter(
        Q(marketplace="") | Q(marketplace=marketplace), endpoint__in=endpoints, remaining__gt=0
    ).order_by("pk")
    for fault in candidates:
        # Conditional decrement: two concurrent calls never share the last use.
        if SandboxFault.objects.filter(pk=fault.pk, remaining__gt=0).update(
            remaining=F("remaining") - 1
        ):
            return fault
    return None


def _switches() -> SandboxSwitches:
    switches, _ = SandboxSwitches.objects.get_or_create(pk=_SWITCHES_ROW)
    return switches


def set_latency(ms: int) -> None:
    """Add ``ms`` milliseconds to every token-endpoint call; 0 turns it off."""
    if ms < 0:
        raise ValueError("Latency cannot be negative.")
    SandboxSwitches.objects.update_or_create(pk=_SWITCHES_ROW, defaults={"token_ms": ms})


def set_reuse_grace(seconds: int) -> None:
    """Accept a just-rotated refresh token again for ``seconds``; 0 (default): reuse revokes."""
    if seconds < 0:
        raise ValueError("The grace period cannot be negative.")
    SandboxSwitches.objects.update_or_create(
        pk=_SWITCHES_ROW, defaults={"reuse_grace_seconds": seconds}
    )


def token_latency_ms() -> int:
    return _switches().token_ms


def reuse_grace_seconds() -> int:
    return _switches().reuse_grace_seconds


def clear() -> None:
    """Disarm every fault and turn the switches off (the request log is kept)."""
    SandboxFault.objects.all().delete()
    SandboxSwitches.objects.filter(pk=_SWITCHES_ROW).update(token_ms=0, reuse_grace_seconds=0)


def record_token_request(*, marketplace: str, grant_type: str, outcome: str) -> None:
    SandboxTokenRequest.objects.create(
        marketplace=marketplace, grant_type=grant_type[:40], outcome=outcome[:40]
    )


def token_requests(
    grant_type: str | None = None, *, outcome: str | None = None, marketplace: str | None = None
) -> int:
    """How many token-endpoint calls were made, optionally for one grant type, outcome or
    stand-in. Outcomes: ``ok``, an RFC 6749 error code (``invalid_grant`` ...) or
    ``fault:<mode>``."""
    requests = SandboxTokenRequest.objects.all()
    if grant_type is not None:
        requests = requests.filter(grant_type=grant_type)
    if outcome is not None:
        requests = requests.filter(outcome=outcome)
    if marketplace is not None:
        requests = requests.filter(marketplace=marketplace)
    return requests.count()


def clear_token_requests() -> None:
    SandboxTokenRequest.objects.all().delete()
