"""The push app's knobs (settings or environment, read at call time) and its task names: the
intake's (body, rate, drain) and the safety net's (the audit cadence, gaps, missed feeds)."""

from hub.app_settings import AppSettings
from marketplaces.base.push import MAX_BODY_BYTES

DRAIN_TASK = "push.drain"
MISSED_FEEDS_TASK = "push.missed_feeds_sweep"

DEFAULTS = {
    # A notification body larger than this is refused (413) unread: the marketplaces' own are
    # well under a kilobyte. At most the parsers' own cap: a larger body would be read, then
    # refused by the parser anyway.
    "PUSH_MAX_BODY_BYTES": MAX_BODY_BYTES,
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
    # While a marketplace's push is healthy for an account, its orders are read by an audit this
    # often (from the watermark) instead of every ORDERS_IMPORT_INTERVAL_SECONDS.
    "PUSH_AUDIT_INTERVAL_MINUTES": 60,
    # Off: push is never relied on, every account is imported at the import interval.
    "PUSH_REDUCE_POLLING": True,
    # Marketplaces whose push is not relied on (comma separated keys), whatever it looks like.
    "PUSH_UNTRUSTED_MARKETPLACES": "",
    # Push is silent when no notification of the marketplace arrived within this window.
    "PUSH_SILENCE_WINDOW_MINUTES": 30,
    # Push is failing when, within the silence window, at least this many notifications ...
    "PUSH_FAILING_MIN_NOTIFICATIONS": 5,
    # ... and at least this share of them failed or named an unknown account or topic.
    "PUSH_FAILING_SHARE": 0.2,
    # Push is failing when a notification has waited this long to be processed (a stuck drain).
    "PUSH_PENDING_STALE_MINUTES": 15,
    # An account whose audit found a gap this recently is imported at the import interval.
    "PUSH_GAP_LOOKBACK_HOURS": 24,
    # An order this fresh may still be on its way by push: the audit does not call it a gap.
    "PUSH_GAP_GRACE_MINUTES": 5,
    # How often the notifications a marketplace could not deliver are read back (missed feeds).
    "PUSH_MISSED_FEEDS_INTERVAL_MINUTES": 10,
    # At most this many pages of a missed feed per run.
    "PUSH_MISSED_FEEDS_MAX_PAGES": 20,
}

_SETTINGS = AppSettings(DEFAULTS)

max_body_bytes = _SETTINGS.reader("PUSH_MAX_BODY_BYTES", int, low=1, high=MAX_BODY_BYTES)
rate_limit_per_minute = _SETTINGS.reader("PUSH_RATE_LIMIT_PER_MINUTE", int, low=0)
drain_interval_seconds = _SETTINGS.reader("PUSH_DRAIN_INTERVAL_SECONDS", float, low=1.0)
drain_batch = _SETTINGS.reader("PUSH_DRAIN_BATCH", int, low=1)
claim_lease = _SETTINGS.reader("PUSH_CLAIM_LEASE_SECONDS", float, low=1.0, unit="seconds")
drain_concurrency = _SETTINGS.reader("PUSH_DRAIN_CONCURRENCY", int, low=1)
max_attempts = _SETTINGS.reader("PUSH_MAX_ATTEMPTS", int, low=1)
audit_interval = _SETTINGS.reader("PUSH_AUDIT_INTERVAL_MINUTES", float, low=1.0, unit="minutes")
reduce_polling = _SETTINGS.reader("PUSH_REDUCE_POLLING", bool)
silence_window = _SETTINGS.reader("PUSH_SILENCE_WINDOW_MINUTES", float, low=1.0, unit="minutes")
failing_min_notifications = _SETTINGS.reader("PUSH_FAILING_MIN_NOTIFICATIONS", int, low=1)
failing_share = _SETTINGS.reader("PUSH_FAILING_SHARE", float, low=0.0, high=1.0)
pending_stale = _SETTINGS.reader("PUSH_PENDING_STALE_MINUTES", float, low=1.0, unit="minutes")
gap_lookback = _SETTINGS.reader("PUSH_GAP_LOOKBACK_HOURS", float, low=0.0, unit="hours")
gap_grace = _SETTINGS.reader("PUSH_GAP_GRACE_MINUTES", float, low=0.0, unit="minutes")
missed_feeds_interval = _SETTINGS.reader(
    "PUSH_MISSED_FEEDS_INTERVAL_MINUTES", float, low=1.0, unit="minutes"
)
missed_feeds_max_pages = _SETTINGS.reader("PUSH_MISSED_FEEDS_MAX_PAGES", int, low=1)


def untrusted_marketplaces() -> frozenset[str]:
    """The PUSH_UNTRUSTED_MARKETPLACES setting: keys, from a list or a comma-separated string."""
    value = _SETTINGS.get("PUSH_UNTRUSTED_MARKETPLACES")
    names = value.split(",") if isinstance(value, str) else value
    return frozenset(name.strip() for name in names if name.strip())
