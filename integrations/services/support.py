"""Support staff's actions on integrations (Django admin), each one recorded with the staff member.

The status changes themselves live in ``lifecycle`` and the token keeper's ``refresh``; these wrap
them with the checks and the history entries support needs.
"""

import logging
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from integrations.services.events import event_record
from integrations.services.lifecycle import integration_disconnect, integration_mark_expired
from integrations.services.notifications import notify_reactivation_needed
from integrations.services.refresh import integration_enqueue_refresh

logger = logging.getLogger(__name__)

Kind = IntegrationEvent.Kind


class SupportActionRefused(Exception):
    """The action does not apply to this integration; the message (pt-BR) says why."""


@transaction.atomic
def integration_refresh_now(*, integration_id: int, actor) -> bool:
    """Renovar agora: queues a refresh even if not yet due. False when one was already queued."""
    integration = _locked(integration_id)
    if not integration.has_tokens:
        raise SupportActionRefused(
            f"“{integration.account_name}” não tem tokens para renovar: "
            "envie o link de reativação ao seller."
        )
    queued = integration_enqueue_refresh(integration_id=integration.pk, force=True)
    details = "Renovar agora: renovação enfileirada"
    if not queued:
        details = "Renovar agora: já havia uma renovação na fila"
    event_record(integration=integration, kind=Kind.ADMIN_ACTION, actor=actor, details=details)
    logger.info(
        "integrations.support.refresh_now",
        extra={"integration_id": integration.pk, "actor_id": actor.pk, "queued": queued},
    )
    return queued


def integration_mark_expired_by_staff(
    *, integration_id: int, actor, reason: str = ""
) -> Integration:
    """Marcar como Token Expirado: drops the tokens, e-mails the seller the reactivation link."""
    with transaction.atomic():
        integration = _locked(integration_id)
        if not integration.is_active:
            raise SupportActionRefused(f"“{integration.account_name}” já está como Token Expirado.")
        text = "Marcada como Token Expirado pelo suporte"
        integration = integration_mark_expired(
            integration_id=integration.pk,
            reason=f"{text}: {reason}" if reason else text,
            actor=actor,
            kind=Kind.EXPIRED,
            notify=True,
        )
    logger.info(
        "integrations.support.mark_expired",
        extra={"integration_id": integration.pk, "actor_id": actor.pk},
    )
    return integration


@transaction.atomic
def integration_send_reactivation_link(*, integration_id: int, actor) -> Integration:
    """E-mails the seller's users the link to the reactivation page (after commit)."""
    integration = _locked(integration_id)
    if integration.is_active:
        raise SupportActionRefused(
            f"“{integration.account_name}” está Ativa: não há token expirado para reativar."
        )
    recipients = (
        get_user_model()
        .objects.filter(membership__seller=integration.seller_id, is_active=True)
        .exclude(email="")
        .count()
    )
    if not recipients:
        raise SupportActionRefused(
            f"A empresa de “{integration.account_name}” não tem usuário ativo com e-mail."
        )
    event_record(
        integration=integration,
        kind=Kind.ADMIN_ACTION,
        actor=actor,
        details=f"Link de reativação enviado por e-mail a {recipients} usuário(s)",
    )
    notify_reactivation_needed(integration=integration, reason="")
    logger.info(
        "integrations.support.reactivation_link_sent",
        extra={"integration_id": integration.pk, "actor_id": actor.pk, "recipients": recipients},
    )
    return integration


def integration_disconnect_by_staff(*, integration_id: int, actor) -> Integration:
    """Desconectar: drops the tokens, keeps the history; the integration is Token Expirado."""
    with transaction.atomic():
        integration = _locked(integration_id)
        if not integration.has_tokens and not integration.is_active:
            raise SupportActionRefused(
                f"“{integration.account_name}” já está sem tokens (Token Expirado)."
            )
        integration = integration_disconnect(integration_id=integration.pk, actor=actor)
    logger.info(
        "integrations.support.disconnected",
        extra={"integration_id": integration.pk, "actor_id": actor.pk},
    )
    return integration


def integration_accept_tenant(*, attempt_id: int, actor) -> Integration:
    """Aceitar esta Pessoa Jurídica: the tenant chosen in a wrong-PJ attempt becomes the expected
    account of the attempt's integration; the seller then repeats the reactivation."""
    try:
        with transaction.atomic():
            integration = _accept_tenant(attempt_id=attempt_id, actor=actor)
    except IntegrityError:
        # Another integration took this tenant between our check and our update.
        raise SupportActionRefused(
            "Esta Pessoa Jurídica acabou de ser conectada a outra integração."
        ) from None
    logger.info(
        "integrations.support.tenant_accepted",
        extra={"integration_id": integration.pk, "attempt_id": attempt_id, "actor_id": actor.pk},
    )
    return integration


def _accept_tenant(*, attempt_id: int, actor) -> Integration:
    attempt = AuthorizationAttempt.objects.get(pk=attempt_id)
    if attempt.outcome != AuthorizationAttempt.Outcome.WRONG_TENANT or not attempt.integration_id:
        raise SupportActionRefused(
            "Só uma tentativa com “Pessoa Jurídica incorreta” pode ter a conta aceita."
        )
    if not attempt.chosen_external_id:
        raise SupportActionRefused("A tentativa não registrou o id da Pessoa Jurídica escolhida.")
    integration = _locked(attempt.integration_id)
    if integration.external_id == attempt.chosen_external_id:
        raise SupportActionRefused(
            f"“{attempt.chosen_account_name}” já é a conta esperada desta integração."
        )
    if integration.is_active:
        raise SupportActionRefused(
            f"“{integration.account_name}” está Ativa com outra Pessoa Jurídica: "
            "desconecte-a antes de aceitar esta."
        )
    owner = (
        Integration.objects.filter(
            marketplace=integration.marketplace, external_id=attempt.chosen_external_id
        )
        .select_related("seller")
        .first()
    )
    if owner is not None:
        raise SupportActionRefused(
            f"Esta Pessoa Jurídica já é a conta da integração “{owner.account_name}” "
            f"(empresa {owner.seller.name})."
        )
    previous = f"{integration.account_name} ({integration.external_id})"
    integration.external_id = attempt.chosen_external_id
    integration.account_name = attempt.chosen_account_name or integration.account_name
    integration.save(update_fields=["external_id", "account_name", "updated_at"])
    event_record(
        integration=integration,
        kind=Kind.ADMIN_ACTION,
        actor=actor,
        details=(
            f"Pessoa Jurídica aceita pelo suporte: {integration.account_name} "
            f"({integration.external_id}); antes: {previous}"
        ),
    )
    return integration


def authorization_attempts_cleanup(*, retention_days: int = 30) -> int:
    """Deletes attempts whose validity ended more than ``retention_days`` ago; returns how many."""
    cutoff = timezone.now() - timedelta(days=retention_days)
    deleted, _ = AuthorizationAttempt.objects.filter(expires_at__lt=cutoff).delete()
    logger.info(
        "integrations.support.attempts_cleaned",
        extra={"deleted": deleted, "retention_days": retention_days},
    )
    return deleted


def _locked(integration_id: int) -> Integration:
    return Integration.objects.select_for_update().get(pk=integration_id)
