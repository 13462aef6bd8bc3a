"""Optional error tracking with sentry-sdk, on only when ``SENTRY_DSN`` is set.

Nothing that may be token material leaves the process: sentry-sdk's own scrubber with our words
added (https://docs.sentry.io/platforms/python/data-management/sensitive-data/), then
``scrub_event`` over the whole event (exception messages, extra fields, breadcrumbs, request
data) redacting any value under a secret-sounding key and any string that looks like a token.
"""

import re

REDACTED = "[redacted]"
# A key containing one of these words has its value redacted, whatever it holds (config.logging
# redacts the same words in log fields).
_SECRET_KEY = re.compile(
    r"token|secret|code|password|passwd|authorization|cookie|session|state|verifier|"
    r"credential|api_?key|dsn|ciphertext",
    re.I,
)
_SAFE_KEYS = frozenset({"error_code", "status_code"})
# Strings that look like token material wherever they appear: JWTs (RFC 7519 §3), bearer
# credentials, Fernet tokens (our ciphertexts), opaque APP_USR-/TG- marketplace tokens, OAuth
# parameters in a query string.
_TOKEN_VALUE = re.compile(
    r"eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*"
    r"|(?i:bearer|basic)\s+[\w.~+/=-]{8,}"
    r"|gAAAAA[\w=-]{20,}"
    r"|\b(?:APP_USR|TG)-[\w-]{8,}"
    r"|(?i:(?<=[?&])(?:code|state|access_token|refresh_token|client_secret)=)[^&\s\"']+"
)


def scrub(value, key: str = ""):
    """``value`` with secrets redacted: by its key, then by its shape (recursively)."""
    if key and key.lower() not in _SAFE_KEYS and _SECRET_KEY.search(key):
        return REDACTED if value not in (None, "", [], {}) else value
    if isinstance(value, str):
        return _TOKEN_VALUE.sub(REDACTED, value)
    if isinstance(value, dict):
        return {k: scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        # sentry-sdk sends headers and query pairs as [name, value] lists.
        if len(value) == 2 and isinstance(value[0], str) and _SECRET_KEY.search(value[0]):
            return [value[0], REDACTED]
        return [scrub(item) for item in value]
    return value


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    return scrub(event)


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    return scrub(crumb)


def error_tracking_init(
    *, dsn: str, environment: str, release: str = "", traces_sample_rate: float = 0.0, **extra
) -> None:
    """Starts sentry-sdk (its Django and Celery integrations turn on by themselves)."""
    import sentry_sdk
    from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

    words = ["state", "code", "verifier", "refresh_token", "access_token", "client_secret"]
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        # A frame's variables can hold a token under any name (a decrypted value, a response
        # body): the stack trace's lines and the log's ids are what support needs.
        include_local_variables=False,
        traces_sample_rate=traces_sample_rate,
        event_scrubber=EventScrubber(denylist=[*DEFAULT_DENYLIST, *words], recursive=True),
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        **extra,
    )
