"""Beat's fan-out: one incremental import per Ativo integration due for one (``cadence``: every
run, or an audit now and then while push is healthy), spread over a minute."""

import logging
import random

from integrations import conf as keeper_conf
from integrations import dispatch
from integrations.orders import conf
from integrations.orders.services.cadence import integrations_due_for_import
from integrations.services.keeper_store import Slot

logger = logging.getLogger(__name__)

SPREAD_SECONDS = 60.0


def import_slot(integration_id: int) -> Slot:
    return Slot("orders", integration_id)


def orders_import_sweep() -> int:
    """Queues one import per due Ativo integration not already being imported; returns how many."""
    count = 0
    for ids in integrations_due_for_import(batch_size=keeper_conf.sweep_batch_size()):
        for integration_id in ids:
            countdown = random.uniform(0, SPREAD_SECONDS)  # noqa: S311 (spreading, not a secret)
            slot = import_slot(integration_id)
            if not slot.take(countdown=countdown):
                continue
            dispatch.send_after_commit(
                conf.IMPORT_TASK,
                target=integration_id,
                countdown=countdown,
                on_failure=slot.release,
            )
            count += 1
    logger.info("orders.import.sweep_done", extra={"enqueued": count})
    return count
