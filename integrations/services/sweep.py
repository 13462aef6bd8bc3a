"""The token keeper's sweeps, run by beat: refresh what is due, verify what is doubtful, and check
every Ativo token against the API now and then."""

import logging
import random

from integrations import conf
from integrations.selectors import (
    integrations_active_ids,
    integrations_due_for_verification,
    integrations_due_per_marketplace,
)
from integrations.services.keeper_queue import (
    integration_enqueue_health_check,
    integration_enqueue_refresh,
    integration_enqueue_verification,
    integrations_enqueue_refresh_batch,
)
from marketplaces import PROVIDERS, ProviderMisconfigured, get_provider

logger = logging.getLogger(__name__)


def refresh_sweep() -> int:
    """Enqueues a refresh of every due integration, each marketplace with its own window and
    rate limit, spread by a little jitter; returns how many. Where a marketplace sets no rate
    limit, a few go to one task (``INTEGRATIONS_REFRESH_TASK_BATCH``).

    Also queues the verification of any pair whose check is due (normally queued when it was
    stored; this catches a lost message).
    """
    jitter = conf.sweep_jitter_seconds()
    task_batch = conf.refresh_task_batch()
    enqueued = seen = 0
    spacing = {key: _spacing_seconds(key) for key in PROVIDERS}
    queued = dict.fromkeys(PROVIDERS, 0)
    for key, ids in integrations_due_per_marketplace(batch_size=conf.sweep_batch_size()):
        seen += len(ids)
        if spacing[key] or task_batch == 1:
            # A rate-limited marketplace gets one task per refresh, spaced to its limit.
            for integration_id in ids:
                countdown = queued[key] * spacing[key] + _jitter(jitter)
                if integration_enqueue_refresh(
                    integration_id=integration_id, countdown=countdown or None
                ):
                    enqueued += 1
                    queued[key] += 1
        else:
            for start in range(0, len(ids), task_batch):
                enqueued += integrations_enqueue_refresh_batch(
                    integration_ids=ids[start : start + task_batch],
                    countdown=_jitter(jitter) or None,
                )
    already_queued = seen - enqueued
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


def _jitter(seconds: float) -> float:
    return random.uniform(0, seconds) if seconds else 0.0  # noqa: S311 (jitter, not a secret)


def _spacing_seconds(marketplace: str) -> float:
    """1 / the marketplace's refresh rate limit; 0 when it has none (or cannot be built now)."""
    try:
        rate = get_provider(marketplace).config.refresh_rate_limit
    except ProviderMisconfigured:
        return 0.0
    return 1.0 / rate if rate else 0.0


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
