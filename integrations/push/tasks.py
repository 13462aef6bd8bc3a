"""Thin Celery tasks of the push app: no token ever in or out (ids, a slot number, small dicts)."""

import logging

from celery import shared_task

from integrations.push import conf
from integrations.push.missed_feeds import (
    NoAccountToRead,
    marketplaces_with_missed_feeds,
    missed_feed_read,
)
from integrations.push.services.drain import notifications_drain
from marketplaces import ProviderError

logger = logging.getLogger(__name__)


@shared_task(name=conf.DRAIN_TASK, ignore_result=True)
def drain_task(slot: int | None = None) -> dict:
    return {"settled": notifications_drain(slot=slot)}


@shared_task(name=conf.MISSED_FEEDS_TASK, ignore_result=True)
def missed_feeds_sweep_task() -> dict:
    """Each marketplace's feed in turn; one that fails is logged and read again next time."""
    stored = 0
    for marketplace in marketplaces_with_missed_feeds():
        try:
            stored += missed_feed_read(marketplace=marketplace).stored
        except (NoAccountToRead, ProviderError) as exc:
            logger.warning(
                "push.missed_feeds.failed",
                extra={"marketplace": marketplace, "error": type(exc).__name__},
            )
    return {"stored": stored}
