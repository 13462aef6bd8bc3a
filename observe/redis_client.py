"""The Redis client for the observability keys (heartbeats, the e-mail counter).

Short timeouts: a probe or a scrape must answer even when Redis does not.
"""

import redis
from django.conf import settings

from hub.redis_client import client_for

TIMEOUT_SECONDS = 1.0


def redis_client() -> redis.Redis | None:
    """The client for ``REDIS_URL``; None without Redis (development)."""
    url = getattr(settings, "REDIS_URL", "")
    return client_for(url, timeout=TIMEOUT_SECONDS) if url else None
