"""App-level defaults of the API and the outgoing webhooks, read from settings at call time.

Every value can be set in the environment (typed like the default) or in the settings, or
overridden in tests, under the name shown.
"""

from hub.app_settings import AppSettings

DEFAULTS = {
    # Requests per minute one API key may make (HTTP 429 with Retry-After beyond it).
    "API_THROTTLE_PER_MINUTE": 600,
    # Orders per page of GET /api/v1/orders: the default and the most a client may ask for.
    "API_PAGE_SIZE": 100,
    "API_MAX_PAGE_SIZE": 500,
    # Rows written less than this long ago are held back from the feeds (orders, events), so
    # a write still committing cannot land behind a cursor a client already holds.
    "API_SETTLE_SECONDS": 2.0,
    # A key's "last use" is written at most this often (not one UPDATE per request).
    "API_LAST_USED_PRECISION_SECONDS": 60,
    # Development only: let webhooks reach loopback and private addresses (a local receiver).
    "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": False,
    # Connect and read timeout of one delivery, in seconds.
    "WEBHOOKS_TIMEOUT_SECONDS": 5.0,
    # Attempts of one message before it is given up and its endpoint disabled. With the backoff
    # below (30 s doubling, capped at 6 h, the upper half kept as jitter) the 15 attempts span
    # 16 to 32 hours, about a day on average.
    "WEBHOOKS_MAX_ATTEMPTS": 15,
    "WEBHOOKS_BACKOFF_BASE_SECONDS": 30.0,
    "WEBHOOKS_BACKOFF_CAP_SECONDS": 6 * 3600.0,
    # A claimed delivery is the worker's for this long; a worker killed mid-send leaves it to be
    # sent again by the sweep once it lapses (at-least-once: receivers dedupe on webhook-id).
    "WEBHOOKS_LEASE_SECONDS": 60.0,
    # Deliveries one task claims at a time, and how often beat's sweep looks for due ones.
    "WEBHOOKS_BATCH_SIZE": 100,
    "WEBHOOKS_SWEEP_INTERVAL_SECONDS": 60,
}


get = AppSettings(DEFAULTS).get
