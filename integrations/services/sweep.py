"""The token keeper's sweeps, run by beat: refresh what is due, verify what is doubtful, and check
every Ativo token against the API now and then."""

import logging
import random

from integrations import conf
from integrations.selectors import (
    integrations_active_ids,
    integrations_due_for_refresh,
    integrations_due_for_verification,
)
from integrations.services.keeper_queue import (
    integration_enqueue_health_check,
    integration_enqueue_refresh,
    integration_enqueue_verification,
)

logger = logging.getLogger(__name__)


def refresh_sweep() -> int:
    """Enqueues one refresh per due integration, spread by a little jitter; returns how many.

    Also queues the verification of any pair whose check is due (normally queued when it was
    stored; this catches a lost message).
    """
    jitter = conf.sweep_jitter_seconds()
    enqueued = already_queued = 0
    batches = integrations_due_for_refresh(
        window=conf.refresh_window(), batch_size=conf.sweep_batch_size()
    )
    for ids in batches:
        for integration_id in ids:
            countdown = random.uniform(0, jitter) if jitter else None  # noqa: S311 (jitter)
            if integration_enqueue_refresh(integration_id=integration_id, countdown=countdown):
                enqueued += 1
            else:
                already_queued += 1
    verifications = sum(
        integration_enqueue_verification(integration_id=integration_id, countdown=None)
        for integration_id in integrations_due_for_verification()
    )
    logger.info(
        "integrations.refresh.sweep_done",
        extra={
            "enqueued": enqueued,
            "already_queued": already_queued,
            "verifications": verifications,
        },
    )
    return enqueued


def health_check_sweep() -> int:
    """Fans out one health-check task per Ativo integration, spread over a few minutes."""
    spread = conf.health_check_spread_seconds()
    count = 0
    for ids in integrations_active_ids(batch_size=conf.sweep_batch_size()):
        for integration_id in ids:
            countdown = random.uniform(0, spread) if spread else None  # noqa: S311 (jitter)
            integration_enqueue_health_check(integration_id=integration_id, countdown=countdown)
            count += 1
    logger.info("integrations.health.sweep_done", extra={"enqueued": count})
    return count
