"""The push app's knobs (settings or environment, read at call time) and its task names."""

from hub.app_settings import AppSettings

DRAIN_TASK = "push.drain"

DEFAULTS = {
    # A notification body larger than this is refused (413) unread: the marketplaces' own are
    # well under a kilobyte.
    "PUSH_MAX_BODY_BYTES": 64 * 1024,
    # Requests a minute one source address may send before it is answered 429 (0: no limit). A
    # marketplace sends from a few addresses, bursts included: this stops a flood, not a burst.
    "PUSH_RATE_LIMIT_PER_MINUTE": 6000,
    # How often beat drains what no worker was told of (the safety net of the queued drain).
    "PUSH_DRAIN_INTERVAL_SECONDS": 30,
    # Notifications one worker claims at a time.
    "PUSH_DRAIN_BATCH": 50,
    # A claimed notification is another worker's to retake after this (its worker died).
    "PUSH_CLAIM_LEASE_SECONDS": 120,
    # At most this many drains queued or running at once, however many notifications arrive:
    # they share the pending ones (SKIP LOCKED) and the workers' other slots stay free for the
    # token keeper.
    "PUSH_DRAIN_CONCURRENCY": 4,
    # A fetch the marketplace could not answer is tried again with backoff, at most this often.
    "PUSH_MAX_ATTEMPTS": 8,
}

_SETTINGS = AppSettings(DEFAULTS)

max_body_bytes = _SETTINGS.reader("PUSH_MAX_BODY_BYTES", int, low=1)
rate_limit_per_minute = _SETTINGS.reader("PUSH_RATE_LIMIT_PER_MINUTE", int, low=0)
drain_interval_seconds = _SETTINGS.reader("PUSH_DRAIN_INTERVAL_SECONDS", float, low=1.0)
drain_batch = _SETTINGS.reader("PUSH_DRAIN_BATCH", int, low=1)
claim_lease = _SETTINGS.reader("PUSH_CLAIM_LEASE_SECONDS", float, low=1.0, unit="seconds")
drain_concurrency = _SETTINGS.reader("PUSH_DRAIN_CONCURRENCY", int, low=1)
max_attempts = _SETTINGS.reader("PUSH_MAX_ATTEMPTS", int, low=1)
