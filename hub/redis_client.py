"""One Redis client per process for the hub's few direct uses of Redis (counters, slots), when
the cache is Redis; None otherwise (LocMem: development without Redis, one process).

Django's RedisCache builds a new ``redis.Redis`` for every operation (about 0.3 to 0.5 ms of CPU);
a counter on a hot path (every pushed notification) cannot pay that twice per request.
"""

from functools import cache as memoize

import redis
from django.conf import settings


def redis_client() -> "redis.Redis | None":
    backend = settings.CACHES["default"]
    if not backend["BACKEND"].endswith(".RedisCache"):
        return None
    location = backend["LOCATION"]
    return _client(location[0] if isinstance(location, list | tuple) else location)


@memoize
def _client(url: str) -> redis.Redis:
    # Thread-safe, and its pool reconnects after a fork (Celery's prefork children).
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
