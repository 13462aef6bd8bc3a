"""App-level defaults of the integrations app, read from settings at call time.

Every value can be set in the environment or in ``config/settings.py`` (or overridden in tests)
under the name shown. Access tokens live hours (``expires_in`` 7200 or 21600 at the marketplaces
we know), so the refresh window is minutes and the sweep runs every minute.
"""

from datetime import timedelta

from hub.app_settings import AppSettings

DEFAULTS = {
    # Refresh an Ativo integration once this fraction of its marketplace's access-token lifetime
    # is left: a 2 h token -> 15 min, a 6 h token -> 45 min.
    "INTEGRATIONS_REFRESH_WINDOW_FRACTION": 0.125,
    # How often beat runs the refresh sweep.
    "INTEGRATIONS_SWEEP_INTERVAL_SECONDS": 60,
    # Ids read per keyset page by the sweep (never every row at once).
    "INTEGRATIONS_SWEEP_BATCH_SIZE": 500,
    # Each refresh the sweep enqueues starts after a random delay in [0, this) seconds.
    "INTEGRATIONS_SWEEP_JITTER_SECONDS": 10.0,
    # Due integrations of a marketplace without a refresh rate limit are handed to the workers
    # this many to a task, refreshed one after another: Celery's hand-over between two tasks is
    # paid once per batch. 1: one task per integration.
    "INTEGRATIONS_REFRESH_TASK_BATCH": 4,
    # A batch sends its token requests on a second thread, one at a time, the next leaving as
    # soon as the previous answer is in while the task stores that answer (off: one after another
    # on the task's thread, each request waiting for the store before it).
    "INTEGRATIONS_REFRESH_OVERLAP": True,
    # How often beat runs the early-detection health check over every Ativo integration ...
    "INTEGRATIONS_HEALTH_CHECK_INTERVAL_SECONDS": 30 * 60,
    # ... spreading the checks over this many seconds.
    "INTEGRATIONS_HEALTH_CHECK_SPREAD_SECONDS": 5 * 60,
    # Transient failures (timeouts, 5xx, 429): retries of one refresh task, then the next sweep.
    "INTEGRATIONS_REFRESH_MAX_RETRIES": 6,
    # Exponential backoff: base * 2**retry seconds, capped, with jitter (the upper half kept).
    "INTEGRATIONS_REFRESH_BACKOFF_BASE_SECONDS": 10.0,
    "INTEGRATIONS_REFRESH_BACKOFF_CAP_SECONDS": 300.0,
    # A Retry-After longer than this is cut to it (a token cannot wait for days).
    "INTEGRATIONS_RETRY_AFTER_CAP_SECONDS": 3600.0,
    # How long "a refresh of this integration is queued or running" is remembered at most (a
    # retry keeps it through its countdown); short, so a vanished worker delays nothing for long:
    # with the sweep's interval it must stay within the rotation window below. A slot forgotten
    # too early costs at most a second task, which the lease turns away.
    "INTEGRATIONS_REFRESH_DEDUP_TTL_SECONDS": 2 * 60,
    # A refresh holds a lease on its integration (in the database) for the provider's connect
    # and read timeouts plus this margin; a lease found expired means its holder died mid-request.
    "INTEGRATIONS_REFRESH_LEASE_MARGIN_SECONDS": 30.0,
    # How long a refresh request whose answer never came (a timeout, a reset, a gateway's 502 or
    # 504) may still be processed by the marketplace, counted from when it left (a dead worker's
    # lease records that moment). Retries wait it out when the marketplace revokes a reused
    # refresh token, and a pair stored after such a request is checked against the API once it
    # has passed: an integration is not left Ativo with a dead token for longer than this (once
    # the sweep can find it: see INTEGRATIONS_REFRESH_DEDUP_TTL_SECONDS). An error the server
    # answered itself (a 500) is retried with the backoff instead: nothing can land later.
    "INTEGRATIONS_ROTATION_WINDOW_MINUTES": 5.0,
    # The "state" of a trip to the consent page: valid this long, single use. The authorization
    # code a marketplace returns typically lives 10 minutes (RFC 6749 §4.1.2 advises at most 10).
    "INTEGRATIONS_AUTHORIZATION_STATE_TTL_SECONDS": 10 * 60,
    # get_access_token() refreshes first when the token has less than this left.
    "INTEGRATIONS_ACCESS_TOKEN_MIN_TTL_SECONDS": 120,
    # Celery queue of the token keeper's tasks; "" is Celery's default queue.
    "INTEGRATIONS_TASK_QUEUE": "",
}


_SETTINGS = AppSettings(DEFAULTS)
_get = _SETTINGS.get


def refresh_window(access_token_lifetime: timedelta) -> timedelta:
    """How long before expiry a marketplace's access token is renewed."""
    fraction = min(0.9, max(0.0, float(_get("INTEGRATIONS_REFRESH_WINDOW_FRACTION"))))
    return access_token_lifetime * fraction


sweep_interval_seconds = _SETTINGS.reader("INTEGRATIONS_SWEEP_INTERVAL_SECONDS", float)
sweep_batch_size = _SETTINGS.reader("INTEGRATIONS_SWEEP_BATCH_SIZE", int, low=1)
refresh_task_batch = _SETTINGS.reader("INTEGRATIONS_REFRESH_TASK_BATCH", int, low=1)
refresh_overlap = _SETTINGS.reader("INTEGRATIONS_REFRESH_OVERLAP", bool)
sweep_jitter_seconds = _SETTINGS.reader("INTEGRATIONS_SWEEP_JITTER_SECONDS", float, low=0.0)
health_check_interval_seconds = _SETTINGS.reader(
    "INTEGRATIONS_HEALTH_CHECK_INTERVAL_SECONDS", float
)
health_check_spread_seconds = _SETTINGS.reader(
    "INTEGRATIONS_HEALTH_CHECK_SPREAD_SECONDS", float, low=0.0
)
refresh_max_retries = _SETTINGS.reader("INTEGRATIONS_REFRESH_MAX_RETRIES", int, low=0)
backoff_base_seconds = _SETTINGS.reader("INTEGRATIONS_REFRESH_BACKOFF_BASE_SECONDS", float)
backoff_cap_seconds = _SETTINGS.reader("INTEGRATIONS_REFRESH_BACKOFF_CAP_SECONDS", float)
retry_after_cap_seconds = _SETTINGS.reader("INTEGRATIONS_RETRY_AFTER_CAP_SECONDS", float)
dedup_ttl_seconds = _SETTINGS.reader("INTEGRATIONS_REFRESH_DEDUP_TTL_SECONDS", int, low=1)
refresh_lease_margin_seconds = _SETTINGS.reader(
    "INTEGRATIONS_REFRESH_LEASE_MARGIN_SECONDS", float, low=0.0
)
rotation_window = _SETTINGS.reader(
    "INTEGRATIONS_ROTATION_WINDOW_MINUTES", float, low=0.0, unit="minutes"
)
authorization_state_ttl = _SETTINGS.reader(
    "INTEGRATIONS_AUTHORIZATION_STATE_TTL_SECONDS", int, low=60, unit="seconds"
)
access_token_min_ttl = _SETTINGS.reader(
    "INTEGRATIONS_ACCESS_TOKEN_MIN_TTL_SECONDS", float, unit="seconds"
)


def task_queue() -> str | None:
    return _get("INTEGRATIONS_TASK_QUEUE") or None
