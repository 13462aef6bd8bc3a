"""Support staff's actions on integrations (Django admin), each one recorded with the staff member.

The status changes themselves live in ``lifecycle`` and the token keeper's ``refresh``; these wrap
them with the checks and the history entries support needs.
"""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from integrations.services.account_choice import abandoned_choices_end
from integrations.services.events import event_record
from integrations.services.keeper_queue import integration_enqueue_refresh
from integrations.services.lifecycle import integration_disconnect, integration_mark_expired
from integrations.services.notifications import notify_reactivation_link

logger = logging.getLogger(__name__)

Kind = IntegrationEvent.Kind
Outcome = AuthorizationAttempt.Outcome


class SupportActionRefused(Exception):
    """The action does not apply to this integration; the message (pt-BR) says why."""


# Why an action does not apply to an integration (pt-BR), or None: read by the services under
# their lock, and by the admin to offer only the actions that apply.


def refresh_now_refusal(integration: Integration) -> str | None:
    if not integration.has_tokens:
        return (
            f"“{integration.account_name}” não tem tokens para renovar: "
            "envie o link de reativação à empresa."
        )
    return None


def mark_expired_refusal(integration: Integration) -> str | None:
    if not integration.is_active:
        return f"“{integration.account_name}” já está como {integration.get_status_display()}."
    return None


def reactivation_link_refusal(integration: Integration) -> str | None:
    if integration.is_active:
        return f"“{integration.account_name}” está Ativa: não há token expirado para reativar."
    return None


def disconnect_refusal(integration: Integration) -> str | None:
    if integration.is_disconnected:
        return f"“{integration.account_name}” já está Desconectada."
    return None


@transaction.atomic
def integration_refresh_now(*, integration_id: int, actor) -> bool:
    """Renovar agora: queues a refresh even if not yet due. False when one was already queued."""
    integration = _locked(integration_id, refusal=refresh_now_refusal)
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
        integration = _locked(integration_id, refusal=mark_expired_refusal)
        text = "Marcada como Token Expirado pelo suporte"
        integration = integration_mark_expired(
            integration_id=integration.pk,
            reason=f"{text}: {reason}" if reason else text,
            actor=actor,
            kind=Kind.EXPIRED,
            cause=Integration.ExpiryCause.SUPPORT,
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
    integration = _locked(integration_id, refusal=reactivation_link_refusal)
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
    # Asked for by a person: sent now, past the daily limit and the users' opt-outs.
    notify_reactivation_link(integration=integration)
    logger.info(
        "integrations.support.reactivation_link_sent",
        extra={"integration_id": integration.pk, "actor_id": actor.pk, "recipients": recipients},
    )
    return integration


def integration_disconnect_by_staff(*, integration_id: int, actor, reason: str = "") -> Integration:
    """Desconectar: drops the tokens, keeps the history; the integration is Desconectada."""
    with transaction.atomic():
        integration = _locked(integration_id, refusal=disconnect_refusal)
        integration = integration_disconnect(integration=integration, actor=actor, reason=reason)
    logger.info(
        "integrations.support.disconnected",
        extra={"integration_id": integration.pk, "actor_id": actor.pk},
    )
    return integration


def acceptance_refusal(attempt: AuthorizationAttempt) -> str | None:
    """Why support may not accept the account chosen in this attempt (pt-BR), or None.

    Acceptable: a wrong account (a seller with several picked another) or an account of a kind
    the hub does not recognise, not yet the integration's. Never a kind the marketplace refuses
    (a natural person where only stores sell).
    """
    if attempt.outcome not in (Outcome.WRONG_TENANT, Outcome.ACCOUNT_UNVERIFIED):
        return (
            "Só a conta de uma tentativa com “Conta diferente da integração” ou “Tipo de conta "
            "a verificar” pode ser aceita."
        )
    if not attempt.chosen_external_id:
        return "A tentativa não registrou o id da conta escolhida."
    integration = attempt.integration
    if attempt.outcome == Outcome.WRONG_TENANT and integration is None:
        return "A tentativa não é de uma integração."
    already_expected = (
        integration is not None
        and attempt.chosen_external_id == integration.external_id
        and (
            attempt.outcome == Outcome.WRONG_TENANT
            or integration.accepted_account_type == attempt.chosen_account_type
        )
    )
    if already_expected:
        name = attempt.chosen_account_name or attempt.chosen_external_id
        return f"“{name}” já é a conta esperada desta integração."
    if (
        integration is not None
        and integration.is_active
        and attempt.chosen_external_id != integration.external_id
    ):
        return (
            f"“{integration.account_name}” está Ativa com outra conta: "
            "desconecte-a antes de aceitar esta."
        )
    # Annotated on a list's rows (chosen_account_taken_q); read here for a single attempt.
    taken = getattr(attempt, "chosen_account_taken", None)
    if taken is None:
        owner = _chosen_account_owner(attempt)
        if owner is not None:
            return (
                f"Esta conta já é a da integração “{owner.account_name}” "
                f"(empresa {owner.seller.name})."
            )
    elif taken:
        return "Esta conta já é a de outra integração do hub."
    return None


def _chosen_account_owner(attempt: AuthorizationAttempt) -> Integration | None:
    """Another integration that already holds the attempt's chosen account."""
    return (
        Integration.objects.filter(
            marketplace=attempt.marketplace, external_id=attempt.chosen_external_id
        )
        .exclude(pk=attempt.integration_id)
        .select_related("seller")
        .first()
    )


def chosen_account_taken() -> Exists:
    """For a list of attempts: whether another integration already holds the chosen account
    (one EXISTS per row, over the (marketplace, external_id) unique index)."""
    return Exists(
        Integration.objects.filter(
            marketplace=OuterRef("marketplace"), external_id=OuterRef("chosen_external_id")
        ).exclude(pk=Coalesce(OuterRef("integration_id"), 0))
    )


def attempt_acceptable(attempt: AuthorizationAttempt) -> bool:
    return acceptance_refusal(attempt) is None


def integration_accept_account(*, attempt_id: int, actor) -> Integration:
    """Aceitar esta conta: the account chosen in the attempt becomes the expected account of the
    attempt's integration (created as Token Expirado on a first connection), its unrecognised
    kind accepted; the seller then repeats the reactivation."""
    try:
        with transaction.atomic():
            integration = _accept_account(attempt_id=attempt_id, actor=actor)
    except IntegrityError:
        # Another integration took this account between our check and our write.
        raise SupportActionRefused(
            "Esta conta acabou de ser conectada a outra integração."
        ) from None
    logger.info(
        "integrations.support.account_accepted",
        extra={"integration_id": integration.pk, "attempt_id": attempt_id, "actor_id": actor.pk},
    )
    return integration


def _accept_account(*, attempt_id: int, actor) -> Integration:
    attempt = AuthorizationAttempt.objects.select_related("integration").get(pk=attempt_id)
    if refusal := acceptance_refusal(attempt):
        raise SupportActionRefused(refusal)
    chosen_id = attempt.chosen_external_id
    owner = _chosen_account_owner(attempt)
    if owner is not None:
        raise SupportActionRefused(
            f"Esta conta já é a da integração “{owner.account_name}” (empresa {owner.seller.name})."
        )
    accepted_type = (
        attempt.chosen_account_type if attempt.outcome == Outcome.ACCOUNT_UNVERIFIED else ""
    )
    if attempt.integration_id is None:
        integration = Integration.objects.create(
            seller_id=attempt.seller_id,
            marketplace=attempt.marketplace,
            external_id=chosen_id,
            account_name=attempt.chosen_account_name or chosen_id,
            status=Integration.Status.EXPIRED,
            accepted_account_type=accepted_type,
            last_error="Conta aceita pelo suporte: conecte-a para ativar.",
        )
        previous = "primeira conexão"
    else:
        integration = _locked(attempt.integration_id)
        previous = f"{integration.account_name} ({integration.external_id})"
        if chosen_id != integration.external_id and integration.is_active:
            raise SupportActionRefused(
                f"“{integration.account_name}” está Ativa com outra conta: "
                "desconecte-a antes de aceitar esta."
            )
        integration.external_id = chosen_id
        integration.account_name = attempt.chosen_account_name or integration.account_name
        integration.accepted_account_type = accepted_type or integration.accepted_account_type
        integration.save(
            update_fields=["external_id", "account_name", "accepted_account_type", "updated_at"]
        )
    kind = f" (tipo “{accepted_type}” verificado)" if accepted_type else ""
    event_record(
        integration=integration,
        kind=Kind.ADMIN_ACTION,
        actor=actor,
        details=(
            f"Conta aceita pelo suporte: {integration.account_name} "
            f"({integration.external_id}){kind}; antes: {previous}"
        ),
    )
    return integration


def authorization_attempts_cleanup(*, retention_days: int = 30) -> int:
    """Deletes attempts whose validity ended more than ``retention_days`` ago; returns how many.
    A pair still waiting for a choice the seller abandoned is wiped at once."""
    now = timezone.now()
    abandoned_choices_end(now=now)
    cutoff = now - timedelta(days=retention_days)
    deleted, _ = AuthorizationAttempt.objects.filter(expires_at__lt=cutoff).delete()
    logger.info(
        "integrations.support.attempts_cleaned",
        extra={"deleted": deleted, "retention_days": retention_days},
    )
    return deleted


def _locked(
    integration_id: int, *, refusal: Callable[[Integration], str | None] | None = None
) -> Integration:
    """The integration under its row lock; ``refusal`` says why the action does not apply."""
    integration = Integration.objects.select_for_update().get(pk=integration_id)
    if refusal is not None and (reason := refusal(integration)):
        raise SupportActionRefused(reason)
    return integration
