"""The token keeper's short-lived dedup slots in Redis (or Django's cache without Redis).

A slot says "a task for this integration is queued or running": the sweep does not queue a
second one. It is only an optimisation: what must survive a crash or a Redis restart (the
refresh lease and the evidence of an unknown outcome) lives in PostgreSQL, on the integration.
"""

import logging

import redis
from django.core.cache import cache

from hub.redis_client import redis_client
from integrations import conf

logger = logging.getLogger(__name__)

KEY_PREFIX = "integrations:keeper:"


class KeeperStore:
    """Redis when the cache is Redis, with one client per process (Django's RedisCache builds a
    new redis.Redis, about 0.5 ms of CPU, for every operation); Django's cache otherwise (LocMem:
    development without Redis, one process)."""

    @staticmethod
    def _redis() -> "redis.Redis | None":
        return redis_client()

    def add(self, key: str, value: str, *, ttl: int) -> bool:
        if (client := self._redis()) is None:
            return cache.add(key, value, timeout=ttl)
        return bool(client.set(key, value, nx=True, ex=ttl))

    def get_many(self, keys: list[str]) -> list[str | None]:
        """The values of ``keys``, in order (None where a key is not set)."""
        if (client := self._redis()) is None:
            found = cache.get_many(keys)
            return [found.get(key) for key in keys]
        return [None if value is None else value.decode() for value in client.mget(keys)]

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

    def touch(self, key: str, *, ttl: int) -> None:
        """``key`` lives ``ttl`` seconds from now; a key already gone stays gone."""
        if (client := self._redis()) is None:
            cache.touch(key, timeout=ttl)
        else:
            client.expire(key, ttl)

    def delete(self, key: str) -> None:
        if (client := self._redis()) is None:
            cache.delete(key)
        else:
            client.delete(key)


store = KeeperStore()


class Slot:
    """The dedup slot of one kind of task for one integration."""

    def __init__(self, kind: str, integration_id: int):
        self.integration_id = integration_id
        self.key = f"{KEY_PREFIX}{kind}:{integration_id}"

    def take(self, *, countdown: float = 0.0) -> bool:
        """True when free and now taken (for the countdown too); a Redis outage lets the task
        through (it never blocks a refresh: the database lease keeps it single)."""
        try:
            return store.add(self.key, "1", ttl=int(countdown) + conf.dedup_ttl_seconds())
        except redis.RedisError:
            logger.warning("integrations.keeper.slot_unavailable", exc_info=True)
            return True

    def extend(self, seconds: float) -> None:
        """Keeps the slot through a retry's countdown."""
        try:
            store.set(self.key, "1", ttl=int(seconds) + conf.dedup_ttl_seconds())
        except redis.RedisError:
            logger.warning("integrations.keeper.slot_unavailable", exc_info=True)

    def release(self) -> None:
        try:
            store.delete(self.key)
        except redis.RedisError:
            logger.warning("integrations.keeper.slot_unavailable", exc_info=True)
