"""One small Redis client for the observability keys (heartbeats, the e-mail counter).

Short timeouts: a probe or a scrape must answer even when Redis does not.
"""

from functools import cache

import redis
from django.conf import settings

TIMEOUT_SECONDS = 1.0


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )


def redis_client() -> redis.Redis | None:
    """The client for ``REDIS_URL``; None without Redis (development)."""
    url = getattr(settings, "REDIS_URL", "")
    return _client(url) if url else None
