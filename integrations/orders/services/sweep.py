"""Beat's fan-out of the orders import: one incremental import per Ativo integration due for one
(``cadence``: every run, or an audit now and then while push is healthy), spread over a minute
(the generic sweep of ``integrations.sync``)."""

from integrations.orders.kind import ORDERS
from integrations.services.keeper_store import Slot
from integrations.sync.sweep import sync_sweep


def import_slot(integration_id: int) -> Slot:
    return ORDERS.slot(integration_id)


def orders_import_sweep() -> int:
    """Queues one import per Ativo integration not already being imported; returns how many."""
    return sync_sweep(ORDERS)
