"""Thin Celery tasks of the orders import: ids in, small dicts out, no token ever."""

import logging

from celery import shared_task

from integrations import conf as keeper_conf
from integrations.backoff import retry_countdown
from integrations.orders import conf
from integrations.orders.services.importing import ImportOutcome, orders_import
from integrations.orders.services.silence import integration_silence_check
from integrations.orders.services.sweep import import_slot, orders_import_sweep
from marketplaces import TemporarilyUnavailable

logger = logging.getLogger(__name__)


@shared_task(name=conf.IMPORT_SWEEP_TASK, ignore_result=True)
def import_sweep_task() -> dict:
    return {"enqueued": orders_import_sweep()}


@shared_task(bind=True, name=conf.IMPORT_TASK, ignore_result=True)
def import_integration_task(self, integration_id: int) -> dict:
    slot = import_slot(integration_id)
    try:
        result = orders_import(integration_id=integration_id)
    except TemporarilyUnavailable as exc:
        retries = self.request.retries
        if self.request.is_eager or retries >= keeper_conf.refresh_max_retries():
            slot.release()
            return {"integration_id": integration_id, "outcome": "unavailable"}
        countdown = retry_countdown(retries=retries, retry_after=exc.retry_after)
        slot.extend(countdown)
        logger.info(
            "orders.import.retry_scheduled",
            extra={"integration_id": integration_id, "countdown": round(countdown, 1)},
        )
        raise self.retry(
            countdown=countdown, max_retries=keeper_conf.refresh_max_retries()
        ) from None
    slot.release()
    silence = ""
    if result.outcome == ImportOutcome.IMPORTED:
        silence = str(integration_silence_check(integration_id=integration_id))
    return {
        "integration_id": integration_id,
        "outcome": str(result.outcome),
        "orders": result.orders,
        "silence": silence,
    }
