"""The endpoint's two uses of Redis, both cheap and both optional: the rate limit per source
address, and the wake-up of the drains.

Drains hold slots, at most ``PUSH_DRAIN_CONCURRENCY``: a notification queues a drain only when a
slot is free, and a drain keeps claiming until nothing is left, so a steady inflow is carried by
the drains already running instead of a new task a second piling up in front of the keeper's.

Neither holds anything that must survive: a Redis outage lets every request through (a
notification refused is one the marketplace may never send again) and queues a drain per request
at worst; the notification itself is already in PostgreSQL, and beat drains what no task took.
"""

import logging
import math
import time
from collections.abc import Callable
from functools import partial

import redis
from celery import current_app
from django.db import transaction

from hub import throttle
from integrations import dispatch
from integrations.push import conf
from integrations.services.keeper_store import store

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
DRAIN_SLOT_KEY = "push:drain-slot:{}"


def drain_slot_keys() -> list[str]:
    return [DRAIN_SLOT_KEY.format(slot) for slot in range(conf.drain_concurrency())]


def retry_after(source: str) -> int | None:
    """Counts one request from ``source``; None while within this minute's limit, else the
    seconds until the next minute starts (for ``Retry-After``, RFC 6585 §4)."""
    limit = conf.rate_limit_per_minute()
    if limit <= 0:
        return None
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    try:
        # The window's number in the identity: every source's count starts afresh each minute.
        within = throttle.hit(
            "push", f"{source}@{window}", limit=limit, window_seconds=WINDOW_SECONDS + 1
        )
    except redis.RedisError:
        logger.warning("push.rate_limit.unavailable")
        return None
    if within:
        return None
    return max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))


def drain_soon() -> None:
    """Queues one drain after the current transaction commits, when a drain slot is free: a
    burst of notifications queues at most ``PUSH_DRAIN_CONCURRENCY`` drains, not one per
    notification."""
    transaction.on_commit(_queue_drain)


def drain_ended(slot: int | None) -> None:
    """The drain holding ``slot`` (None: beat's, which holds none) stops: the slot is free."""
    _on_slot(slot, store.delete)


def drain_goes_on(slot: int | None) -> None:
    """The drain holding ``slot`` takes another batch: its slot lives one more lease from now
    (a run of many batches outlives the lease the slot was taken for)."""
    _on_slot(slot, partial(store.touch, ttl=_slot_ttl()))


def _on_slot(slot: int | None, call: Callable[[str], object]) -> None:
    if slot is None:
        return
    try:
        call(DRAIN_SLOT_KEY.format(slot))
    except redis.RedisError:
        logger.warning("push.drain.slots_unavailable")


def _slot_ttl() -> int:
    # A slot outlives a killed worker's drain by a claim's lease at most; beat's drain meanwhile
    # takes what is pending.
    return math.ceil(conf.claim_lease().total_seconds())


def _queue_drain() -> None:
    if current_app.conf.task_always_eager:
        # No worker (development without Redis): a task "queued" now would run inline and hold
        # the marketplace's request for as long as its fetches take. The in-process keeper runs
        # beat's drain instead, within PUSH_DRAIN_INTERVAL_SECONDS.
        return
    slot = None
    try:
        ttl = _slot_ttl()
        keys = drain_slot_keys()
        taken = store.get_many(keys)  # one round trip in the usual case: every slot busy
        for number, key in enumerate(keys):
            if taken[number] is None and store.add(key, "1", ttl=ttl):
                slot = number
                break
        else:
            return  # every slot busy: the running drains take this one too
    except redis.RedisError:
        logger.warning("push.drain.slots_unavailable")
    # The broker down: the row is kept, beat's drain takes it when it is back.
    dispatch.send_now(conf.DRAIN_TASK, kwargs={"slot": slot}, on_failure=partial(drain_ended, slot))
