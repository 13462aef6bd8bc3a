"""Heartbeats in Redis: beat leaves one each time it publishes the refresh sweep.

Connected from ``config.celery`` so the beat process has it. Beat publishes the sweep every
``INTEGRATIONS_SWEEP_INTERVAL_SECONDS``: a heartbeat older than two intervals means beat stopped
(or cannot reach Redis). Celery's ``before_task_publish`` runs in the publishing process
(https://docs.celeryq.dev/en/stable/userguide/signals.html#before-task-publish).
"""

import logging
import time

from celery.signals import before_task_publish

logger = logging.getLogger(__name__)

BEAT_KEY = "hub:heartbeat:beat"
BEAT_TASK = "integrations.refresh_sweep"
# Kept a day: long enough to say "last tick N seconds ago", gone after a long outage.
_TTL_SECONDS = 86_400


def beat_heartbeat_record(*, at: float | None = None) -> None:
    from observe.redis_client import redis_client

    client = redis_client()
    if client is None:
        return
    try:
        client.set(BEAT_KEY, f"{time.time() if at is None else at:.3f}", ex=_TTL_SECONDS)
    except Exception:  # a heartbeat never breaks the publish it rides on
        logger.warning("hub.heartbeat.not_recorded", exc_info=True)


def beat_heartbeat_age() -> float | None:
    """Seconds since beat's last sweep; None when it never ticked (or the key expired).

    Raises redis errors: the caller reports Redis as down.
    """
    from observe.redis_client import redis_client

    client = redis_client()
    value = client.get(BEAT_KEY) if client is not None else None
    return None if value is None else max(0.0, time.time() - float(value))


@before_task_publish.connect(sender=BEAT_TASK, weak=False)
def _on_sweep_published(sender=None, **kwargs) -> None:
    beat_heartbeat_record()
