"""Beat's fan-out for one kind: one task per Ativo integration, spread over the kind's window."""

import logging
import random

from integrations import conf as keeper_conf
from integrations import dispatch
from integrations.selectors import integrations_active_ids
from integrations.sync.kind import SyncKind

logger = logging.getLogger(__name__)


def sync_sweep(kind: SyncKind) -> int:
    """Queues one task of ``kind`` per Ativo integration due for one (``kind.due_ids``; all of
    them without it) that has none queued or running; returns how many."""
    count = 0
    due_ids = kind.due_ids or integrations_active_ids
    for ids in due_ids(batch_size=keeper_conf.sweep_batch_size()):
        for integration_id in ids:
            countdown = random.uniform(0, kind.spread_seconds)  # noqa: S311 (spreading, not a secret)
            slot = kind.slot(integration_id)
            if not slot.take(countdown=countdown):
                continue
            dispatch.send_after_commit(
                kind.task, target=integration_id, countdown=countdown, on_failure=slot.release
            )
            count += 1
    logger.info(f"{kind.name}.import.sweep_done", extra={"enqueued": count})
    return count
