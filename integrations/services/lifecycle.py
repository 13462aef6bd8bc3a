"""Status changes outside the OAuth journey: marking expired and disconnecting."""

import logging
from datetime import timedelta

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
    cause: str,
    actor=None,
    kind: str = IntegrationEvent.Kind.EXPIRED,
    notify: bool = True,
) -> Integration:
    """Token Expirado: the grant is dead and the seller must reauthorize. Tokens are dropped;
    ``cause`` (an ``Integration.ExpiryCause``) is the one line the seller reads why."""
    integration = Integration.objects.select_for_update().get(pk=integration_id)
    was_active = integration.is_active
    integration.status = Integration.Status.EXPIRED
    integration.expiry_cause = cause
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


def integration_note_retry(*, integration_id: int, in_seconds: float) -> None:
    """Remembers when the keeper tries again after a temporary failure (for the seller's page)."""
    Integration.objects.filter(pk=integration_id, status=Integration.Status.ACTIVE).update(
        refresh_retry_at=timezone.now() + timedelta(seconds=in_seconds)
    )


def integration_disconnect(*, integration: Integration, actor) -> Integration:
    """Drops the tokens and keeps the history; the integration shows as Token Expirado.

    ``integration`` is the row as read under its lock (``select_for_update``) in the caller's
    transaction, which has decided that it may be disconnected.
    """
    integration.status = Integration.Status.EXPIRED
    integration.expiry_cause = Integration.ExpiryCause.DISCONNECTED
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


@transaction.atomic
def integration_disconnect_by_seller(*, integration_id: int, actor) -> bool:
    """The seller's "Desconectar": False (and nothing recorded) when a second tab or a double
    click finds the tokens already gone; decided under the row lock, so two never both act."""
    integration = Integration.objects.select_for_update().get(pk=integration_id)
    if not integration.has_tokens:
        return False
    integration_disconnect(integration=integration, actor=actor)
    return True
