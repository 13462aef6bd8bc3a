"""A fixed-window counter in the cache: how many times something happened this hour.

Redis holds it (a cache, not state: losing it only forgets a few counts). Limits that guard
against abuse, not budgets that must be exact.
"""

import hashlib

from django.core.cache import cache

from hub.redis_client import redis_client


def _key(scope: str, identity: str) -> str:
    # Hashed: an e-mail address or an IP is never a cache key in the clear. Any text hashes,
    # a lone surrogate too (a test client or a broken proxy can hand one over).
    digest = hashlib.sha256(identity.casefold().encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def hit(scope: str, identity: str, *, limit: int, window_seconds: int) -> bool:
    """Counts one more for ``identity``; False once the window's ``limit`` is passed."""
    key = _key(scope, identity)
    client = redis_client()
    if client is not None:
        # One round trip: counted, then given the window's expiry unless it has one (EXPIRE NX,
        # Redis 7). Counting first means a counter always ends with a TTL: a key that expired
        # just before the INCR is created again and expires too, never counting forever.
        pipe = client.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, window_seconds, nx=True)
        return pipe.execute()[0] <= limit
    if cache.add(key, 1, timeout=window_seconds):
        return limit >= 1
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr: a new window starts
        cache.add(key, 1, timeout=window_seconds)
        return limit >= 1
