"""What an orders import run leaves on the integration's pulse, through the generic bookkeeping
of ``integrations.sync.trouble`` (a failing spell told once, after
``ORDERS_IMPORT_FAILING_ALERT_MINUTES``), plus the orders' own figures of a good run."""

from datetime import datetime

from integrations.orders.kind import ORDERS
from integrations.orders.models import OrderPulse
from integrations.sync.trouble import sync_failed, sync_succeeded


def import_failed(*, pulse: OrderPulse, error: str, failure: str) -> None:
    """Records a failed run; starts the spell (and its event) on the first one."""
    sync_failed(kind=ORDERS, state=pulse, error=error, failure=failure)


def import_succeeded(
    *,
    pulse: OrderPulse,
    new_orders: int,
    watermark: datetime | None,
    last_order_at: datetime | None,
) -> None:
    """Records a good run (the watermark and the last order only move forward); ends a spell."""
    sync_succeeded(
        kind=ORDERS,
        state=pulse,
        watermark=watermark,
        forward={"last_order_at": last_order_at},
        changes={"last_import_new_orders": new_orders},
    )
