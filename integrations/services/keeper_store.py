"""The token keeper's short-lived keys in Redis (or Django's cache without Redis).

Two kinds: the dedup slot ("a refresh of this integration is queued or running") and the
in-flight marker ("a refresh token was sent and its answer not yet stored").
"""

import hashlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache as memoize

import redis
from django.conf import settings
from django.core.cache import cache

from integrations import conf

logger = logging.getLogger(__name__)

KEY_PREFIX = "integrations:keeper:"


class KeeperStore:
    """The keeper's short-lived keys: dedup slots and in-flight markers.

    Redis when the cache is Redis, with one client per process (Django's RedisCache builds a new
    redis.Redis, about 0.5 ms of CPU, for every operation, and each refresh makes three); Django's
    cache otherwise (LocMem: development without Redis, one process).
    """

    def __init__(self) -> None:
        self._batch = threading.local()  # per thread: Celery's threads pool, tests

    @staticmethod
    def _redis() -> "redis.Redis | None":
        backend = settings.CACHES["default"]
        if not backend["BACKEND"].endswith(".RedisCache"):
            return None
        location = backend["LOCATION"]
        return _redis_client(location[0] if isinstance(location, list | tuple) else location)

    def add(self, key: str, value: str, *, ttl: int) -> bool:
        if (client := self._redis()) is None:
            return cache.add(key, value, timeout=ttl)
        return bool(client.set(key, value, nx=True, ex=ttl))

    def get(self, key: str) -> str | None:
        if (client := self._redis()) is None:
            return cache.get(key)
        value = client.get(key)
        return value.decode() if value is not None else None

    def set(self, key: str, value: str, *, ttl: int) -> None:
        if (client := self._redis()) is None:
            cache.set(key, value, timeout=ttl)
        else:
            client.set(key, value, ex=ttl)

    def delete(self, key: str) -> None:
        pending = getattr(self._batch, "keys", None)
        if pending is not None:
            pending.append(key)
        else:
            self._delete(key)

    @contextmanager
    def deletes_batched(self) -> Iterator[None]:
        """Within it, ``delete`` only collects keys; one DEL removes them all on the way out.

        A refresh task ends with two deletes (the in-flight marker once the pair is committed,
        then its dedup slot): one round trip instead of two, microseconds later.
        """
        if getattr(self._batch, "keys", None) is not None:  # nested: the outer one deletes
            yield
            return
        self._batch.keys = []
        try:
            yield
        finally:
            keys, self._batch.keys = self._batch.keys, None
            if keys:
                self._delete(*keys)

    def _delete(self, *keys: str) -> None:
        if (client := self._redis()) is None:
            cache.delete_many(keys)
        else:
            client.delete(*keys)


@memoize
def _redis_client(url: str) -> redis.Redis:
    # Thread-safe, and its pool reconnects after a fork (Celery's prefork children).
    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


store = KeeperStore()


class InflightMarker:
    """Set in the cache right before a refresh token is sent; cleared once the answer is stored.

    Found again by a later run for the same stored token, it means the earlier run never stored
    the provider's answer: if the provider now says invalid_grant, that run's new pair is lost
    (issue 4 §8). The value is a digest of the ciphertext, never token material.
    """

    def __init__(self, *, integration_id: int, ciphertext: str):
        self.key = f"{KEY_PREFIX}inflight:{integration_id}"
        self.value = hashlib.sha256(ciphertext.encode()).hexdigest()[:32]

    def arm(self) -> bool:
        """Sets the marker; True when this very marker was already set (a run that never ended).

        One atomic add on the usual path; a read and a write only when some marker was there.
        """
        ttl = conf.inflight_ttl_seconds()
        try:
            if store.add(self.key, self.value, ttl=ttl):
                return False
            leftover = store.get(self.key) == self.value
            store.set(self.key, self.value, ttl=ttl)
            return leftover
        except Exception:  # a cache outage degrades detection, it does not stop refreshes
            logger.warning("integrations.refresh.marker_unavailable", exc_info=True)
            return False

    def is_set(self) -> bool:
        try:
            return store.get(self.key) == self.value
        except Exception:
            logger.warning("integrations.refresh.marker_unavailable", exc_info=True)
            return False

    def clear(self) -> None:
        try:
            store.delete(self.key)
        except Exception:
            logger.warning("integrations.refresh.marker_unavailable", exc_info=True)
