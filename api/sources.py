"""Everything the API reads from the rest of the hub, imported in this one place.

When the hub's packages move, only these imports change.
"""

from hub.emails import BrandedEmail, branded_message
from hub.models import Membership, Seller
from hub.tenancy import seller_required
from integrations import crypto
from integrations.account_health import Health, health_of
from integrations.conf import task_queue
from integrations.models import Integration, IntegrationEvent
from integrations.orders.models import Order, OrderPulse

__all__ = [
    "BrandedEmail",
    "Health",
    "Integration",
    "IntegrationEvent",
    "Membership",
    "Order",
    "OrderPulse",
    "Seller",
    "branded_message",
    "crypto",
    "health_of",
    "seller_required",
    "task_queue",
]
