"""Status changes outside the OAuth journey: marking expired and disconnecting."""

import logging

from django.db import transaction
from django.utils import timezone

from integrations.models import Integration, IntegrationEvent
from integrations.services.events import event_record
from integrations.services.notifications import notify_reactivation_needed

logger = logging.getLogger(__name__)


@transaction.atomic
def integration_mark_expired(
    *,
    integration_id: int,
    reason: str,
    actor=None,
    kind: str = IntegrationEvent.Kind.EXPIRED,
    notify: bool = True,
) -> Integration:
    """Token Expirado: the grant is dead and the seller must reauthorize. Tokens are dropped."""
    integration = Integration.objects.select_for_update().get(pk=integration_id)
    was_active = integration.is_active
    integration.status = Integration.Status.EXPIRED
    integration.clear_tokens()
    integration.last_error = reason[:1000]
    integration.last_error_at = timezone.now()
    integration.save()
    event_record(integration=integration, kind=kind, actor=actor, details=reason)
    if notify and was_active:
        notify_reactivation_needed(integration=integration, reason=reason)
    logger.warning(
        "integrations.integration.expired",
        extra={"integration_id": integration.pk, "kind": kind},
    )
    return integration


@transaction.atomic
def integration_disconnect(*, integration_id: int, actor) -> Integration:
    """Drops the tokens and keeps the history; the integration shows as Token Expirado."""
    integration = Integration.objects.select_for_update().get(pk=integration_id)
    integration.status = Integration.Status.EXPIRED
    integration.clear_tokens()
    integration.last_error = "Desconectada: os tokens foram apagados."
    integration.last_error_at = timezone.now()
    integration.save()
    event_record(
        integration=integration,
        kind=IntegrationEvent.Kind.DISCONNECTED,
        actor=actor,
        details="tokens apagados",
    )
    return integration
