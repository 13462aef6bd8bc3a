from integrations.models import Integration, IntegrationEvent


def event_record(
    *, integration: Integration, kind: str, actor=None, details: str = ""
) -> IntegrationEvent:
    """Appends to the integration's history. ``details`` is human text, never token material."""
    return IntegrationEvent.objects.create(
        integration=integration, kind=kind, actor=actor, details=details[:500]
    )
