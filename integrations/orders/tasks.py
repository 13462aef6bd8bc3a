"""Thin Celery tasks of the orders import: ids in, small dicts out, no token ever."""

from celery import shared_task

from integrations.orders import conf
from integrations.orders.services.importing import ImportOutcome, orders_import
from integrations.orders.services.silence import integration_silence_check
from integrations.orders.services.sweep import import_slot, orders_import_sweep
from integrations.sync.retry import retried_task


@shared_task(name=conf.IMPORT_SWEEP_TASK, ignore_result=True)
def import_sweep_task() -> dict:
    return {"enqueued": orders_import_sweep()}


@retried_task(
    conf.IMPORT_TASK,
    holds=import_slot,
    retry_event="orders.import.retry_scheduled",
)
def import_integration_task(self, integration_id: int) -> dict:
    result = self.attempt(orders_import, integration_id)  # it records a temporary failure itself
    if result is None:
        return self.unavailable(integration_id)
    silence = ""
    if result.outcome == ImportOutcome.IMPORTED:
        silence = str(integration_silence_check(integration_id=integration_id))
    return {
        "integration_id": integration_id,
        "outcome": str(result.outcome),
        "orders": result.orders,
        "silence": silence,
    }
