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


def integration_disconnect(*, integration: Integration, actor, reason: str = "") -> Integration:
    """Drops the tokens and keeps the history; the integration shows as Desconectada (grey, no
    alarm, reconnectable).

    ``integration`` is the row as read under its lock (``select_for_update``) in the caller's
    transaction, which has decided that it may be disconnected.
    """
    integration.status = Integration.Status.DISCONNECTED
    integration.expiry_cause = ""
    integration.clear_tokens()
    integration.last_error = ""
    integration.last_error_at = None
    integration.save()
    details = "tokens apagados"
    event_record(
        integration=integration,
        kind=IntegrationEvent.Kind.DISCONNECTED,
        actor=actor,
        details=f"{details}; motivo: {reason}" if reason else details,
    )
    return integration


@transaction.atomic
def integration_disconnect_by_seller(*, integration_id: int, actor) -> bool:
    """The seller's "Desconectar": False (and nothing recorded) when a second tab or a double
    click finds the tokens already gone; decided under the row lock, so two never both act."""
    integration = Integration.objects.select_for_update().get(pk=integration_id)
    if integration.is_disconnected:
        return False
    integration_disconnect(integration=integration, actor=actor)
    return True


@transaction.atomic
def integration_remove_from_list(*, integration_id: int, actor) -> bool:
    """The seller's "Remover da lista" for a disconnected integration: hidden from the seller's
    list, its history kept for support. False when it is not (or no longer) disconnected."""
    integration = Integration.objects.select_for_update().get(pk=integration_id)
    if not integration.is_disconnected or integration.removed_from_list_at is not None:
        return False
    integration.removed_from_list_at = timezone.now()
    integration.save(update_fields=["removed_from_list_at", "updated_at"])
    event_record(integration=integration, kind=IntegrationEvent.Kind.REMOVED_FROM_LIST, actor=actor)
    return True
