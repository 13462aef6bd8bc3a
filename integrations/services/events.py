from django.dispatch import Signal

from integrations.models import Integration, IntegrationEvent

# Sent inside the transaction that records the event (``event``): a receiver's writes commit or
# roll back with it (the API's webhook outbox).
event_recorded = Signal()


def event_record(
    *, integration: Integration, kind: str, actor=None, details: str = ""
) -> IntegrationEvent:
    """Appends to the integration's history. ``details`` is human text, never token material."""
    event = IntegrationEvent.objects.create(
        integration=integration, kind=kind, actor=actor, details=details[:500]
    )
    event_recorded.send(sender=IntegrationEvent, event=event)
    return event
