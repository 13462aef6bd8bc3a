"""Orders, the first kind of data the hub syncs (``integrations.sync``): its state, its task,
its spell's alert threshold, history entries and notices."""

from integrations.models import IntegrationEvent
from integrations.orders import conf
from integrations.orders.models import OrderPulse
from integrations.orders.services.cadence import integrations_due_for_import
from integrations.services.notifications import notify_import_failing, notify_import_recovered
from integrations.sync.kind import SyncKind

ORDERS = SyncKind(
    name="orders",
    state=OrderPulse,
    task=conf.IMPORT_TASK,
    spread_seconds=60.0,
    failing_alert=conf.import_failing_alert,
    failing_event=IntegrationEvent.Kind.IMPORT_FAILING,
    recovered_event=IntegrationEvent.Kind.IMPORT_RECOVERED,
    tell_failing=notify_import_failing,
    tell_recovered=notify_import_recovered,
    # Every sweep while the account's push cannot be relied on, an audit now and then while it can.
    due_ids=integrations_due_for_import,
)
