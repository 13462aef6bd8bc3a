from api.services.outbox import outbox_for_event
from integrations.models import Integration, IntegrationEvent


def event_record(
    *, integration: Integration, kind: str, actor=None, details: str = ""
) -> IntegrationEvent:
    """Appends to the integration's history. ``details`` is human text, never token material."""
    event = IntegrationEvent.objects.create(
        integration=integration, kind=kind, actor=actor, details=details[:500]
    )
    outbox_for_event(event=event)  # the seller's webhooks, in this same transaction
    return event
