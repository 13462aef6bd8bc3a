"""The integration's pulse moves forward only: its newest order and watermark never go back."""

from datetime import datetime

from integrations.orders.models import OrderPulse
from integrations.sync.trouble import moved_forward


def pulse_order_arrived(*, integration_id: int, created_at: datetime) -> bool:
    """An order arrived outside an import (a notification): the silence detector's "last order"
    keeps up with it. The import's watermark stays: what push missed is still read. True when the
    order ends a silence the account was flagged with."""
    pulse, _ = OrderPulse.objects.get_or_create(integration_id=integration_id)
    OrderPulse.objects.filter(pk=pulse.pk).update(
        last_order_at=moved_forward("last_order_at", created_at)
    )
    return pulse.silent_since is not None and created_at > pulse.silent_since
