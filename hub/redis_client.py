"""The process's Redis clients for the hub's few direct uses of Redis: one cached client (and so
one connection pool) per URL and timeout, shared by every caller that asks for the same pair.

Django's RedisCache builds a new ``redis.Redis`` for every operation (about 0.3 to 0.5 ms of CPU);
a counter on a hot path (every pushed notification) cannot pay that twice per request.
"""

from functools import cache as memoize

import redis
from django.conf import settings

# Counters and slots: long enough for a busy Redis, short enough that a request never hangs on it.
TIMEOUT_SECONDS = 2.0


def redis_client() -> "redis.Redis | None":
    """The client for the cache's Redis (counters, slots), when the cache is Redis; None otherwise
    (LocMem: development without Redis, one process)."""
    backend = settings.CACHES["default"]
    if not backend["BACKEND"].endswith(".RedisCache"):
        return None
    location = backend["LOCATION"]
    url = location[0] if isinstance(location, list | tuple) else location
    return client_for(url, timeout=TIMEOUT_SECONDS)


@memoize
def client_for(url: str, *, timeout: float) -> redis.Redis:
    """The one client for ``url`` with ``timeout`` (seconds) to connect and to answer.

    Thread-safe, and its pool reconnects after a fork (Celery's prefork children).
    """
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
