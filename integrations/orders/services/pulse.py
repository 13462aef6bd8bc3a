"""The integration's pulse moves forward only: its newest order and watermark never go back."""

from datetime import datetime

from django.db.models import DateTimeField, Value
from django.db.models.functions import Coalesce, Greatest

from integrations.orders.models import OrderPulse


def moved_forward(name: str, moment: datetime) -> Greatest:
    """An update expression: ``moment`` when it is later than the stored ``name`` (or none is)."""
    value = Value(moment, output_field=DateTimeField())
    return Greatest(Coalesce(name, value), value)


def pulse_order_arrived(*, integration_id: int, created_at: datetime) -> bool:
    """An order arrived outside an import (a notification): the silence detector's "last order"
    keeps up with it. The import's watermark stays: what push missed is still read. True when the
    order ends a silence the account was flagged with."""
    pulse, _ = OrderPulse.objects.get_or_create(integration_id=integration_id)
    OrderPulse.objects.filter(pk=pulse.pk).update(
        last_order_at=moved_forward("last_order_at", created_at)
    )
    return pulse.silent_since is not None and created_at > pulse.silent_since
