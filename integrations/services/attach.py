"""Attaching an account the seller chose to an integration, or refusing it: the checks every
account passes (a kind the marketplace's provider accepts, seller access, nobody else's in the hub)
and the locked store of its grant. Shared by the callback and the choice among several accounts."""

import hashlib
import logging

from django.db import transaction

from hub.text import clean_text
from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from integrations.services.events import event_record
from integrations.services.grants import apply_grant
from integrations.services.notifications import notify_reconnected
from integrations.services.outcomes import AuthorizationResult, refusal_reason, result_for
from marketplaces import AccountKind, ChosenAccount, OAuth2Provider, TokenGrant

logger = logging.getLogger(__name__)

Outcome = AuthorizationAttempt.Outcome
# Provider text is cut to the columns that hold it; an id that does not fit is refused.
EXTERNAL_ID_MAX = Integration._meta.get_field("external_id").max_length
ACCOUNT_NAME_MAX = Integration._meta.get_field("account_name").max_length
_DOCUMENT_MAX = Integration._meta.get_field("account_document").max_length
# Refusals that matter to the integration's history (the seller tried and picked wrongly).
_HISTORY_OF_REFUSAL = {
    Outcome.WRONG_TENANT: IntegrationEvent.Kind.WRONG_TENANT,
    Outcome.ACCOUNT_REFUSED: IntegrationEvent.Kind.AUTHORIZATION_FAILED,
    Outcome.ACCOUNT_UNVERIFIED: IntegrationEvent.Kind.AUTHORIZATION_FAILED,
    Outcome.OPERATOR_LOGIN: IntegrationEvent.Kind.AUTHORIZATION_FAILED,
    Outcome.OTHER_SELLER: IntegrationEvent.Kind.AUTHORIZATION_FAILED,
    Outcome.UNSUPPORTED: IntegrationEvent.Kind.AUTHORIZATION_FAILED,
}


def session_fingerprint(session_binding: str) -> str:
    """What an attempt keeps of the browser session it is bound to."""
    return hashlib.sha256(f"session:{session_binding}".encode()).hexdigest()


def refuse(
    attempt: AuthorizationAttempt,
    outcome: str,
    *,
    details: str = "",
    account: ChosenAccount | None = None,
) -> AuthorizationResult:
    """Ends the attempt without touching the integration; the attempt keeps what was chosen."""
    attempt.outcome = outcome
    attempt.details = clean_text(details, 500)
    if account is not None:
        attempt.chosen_external_id = clean_text(account.external_id or "", EXTERNAL_ID_MAX)
        attempt.chosen_account_name = clean_text(account.name, ACCOUNT_NAME_MAX)
        attempt.chosen_account_kind = account.kind.value
        attempt.chosen_account_type = clean_text(account.kind_raw, 64)
    history_kind = _HISTORY_OF_REFUSAL.get(outcome)
    with transaction.atomic():
        attempt.save(
            update_fields=[
                "outcome",
                "details",
                "chosen_external_id",
                "chosen_account_name",
                "chosen_account_kind",
                "chosen_account_type",
            ]
        )
        if attempt.integration is not None and history_kind is not None:
            event_record(
                integration=attempt.integration,
                kind=history_kind,
                actor=attempt.user,
                details=refusal_reason(outcome, attempt=attempt, account=account),
            )
    logger.info(
        "integrations.authorization.refused", extra={"attempt_id": attempt.pk, "outcome": outcome}
    )
    return result_for(outcome, attempt=attempt, account=account)


def account_verdict(
    provider: OAuth2Provider, account: ChosenAccount, *, attempt: AuthorizationAttempt
) -> tuple[str, str] | None:
    """Why this account cannot be connected (outcome, details), or None when it can."""
    if not account.external_id:
        return Outcome.ACCOUNT_UNVERIFIED, "o marketplace não informou qual conta foi escolhida"
    if len(account.external_id) > EXTERNAL_ID_MAX:
        return Outcome.PROVIDER_ERROR, "id de conta longo demais"
    if account.kind is AccountKind.UNKNOWN:
        if not _accepted_by_support(attempt, account):
            raw = clean_text(account.kind_raw, 64) or "não informado"
            return Outcome.ACCOUNT_UNVERIFIED, f"tipo de conta não reconhecido: {raw}"
    elif account.kind not in provider.accepted_account_kinds:
        kind_name = provider.account_kind_name(account.kind, account.kind_raw)
        return Outcome.ACCOUNT_REFUSED, f"{kind_name} não é aceita por {provider.display_name}"
    if not account.has_seller_access:
        return Outcome.ACCOUNT_REFUSED, "conta sem acesso de seller"
    return None


def _accepted_by_support(attempt: AuthorizationAttempt, account: ChosenAccount) -> bool:
    """Support looked at this account's unknown kind and accepted it for this seller."""
    return (
        bool(account.kind_raw)
        and Integration.objects.filter(
            seller=attempt.seller_id,
            marketplace=attempt.marketplace,
            external_id=account.external_id,
            accepted_account_type=clean_text(account.kind_raw, 64),
        ).exists()
    )


def taken_by_another_seller(attempt: AuthorizationAttempt, external_id: str) -> bool:
    """The account is already connected to another seller of the hub."""
    return (
        Integration.objects.filter(marketplace=attempt.marketplace, external_id=external_id)
        .exclude(seller=attempt.seller_id)
        .exists()
    )


def store_grant(
    *, attempt: AuthorizationAttempt, grant: TokenGrant, account: ChosenAccount
) -> tuple[Integration, str]:
    """Saves the new tokens on the integration row, locked; creates it on a first connection.

    Whatever refresh was in flight for the old pair is void: apply_grant drops its lease, and
    its compare-and-swap on the old refresh token will find the new one.
    """
    existing = (
        Integration.objects.select_for_update()
        .filter(
            marketplace=attempt.marketplace,
            external_id=account.external_id,
            seller=attempt.seller_id,
        )
        .first()
    )
    name = clean_text(account.name, ACCOUNT_NAME_MAX)
    if existing is None:
        integration = Integration(
            seller_id=attempt.seller_id,
            marketplace=attempt.marketplace,
            external_id=account.external_id,
            account_name=name or account.external_id,
        )
        kind = IntegrationEvent.Kind.CONNECTED
    else:
        integration = existing
        kind = IntegrationEvent.Kind.REAUTHORIZED
    apply_grant(integration, grant)
    if account.authorization_expires_at is not None:
        integration.authorization_expires_at = account.authorization_expires_at
    integration.removed_from_list_at = None  # connected again: back on the seller's list
    if name:
        integration.account_name = name
    if account.document:
        integration.account_document = clean_text(account.document, _DOCUMENT_MAX)
    if account.document_number:
        integration.account_document_number = account.document_number
    integration.save()
    return integration, kind


def connect_account(
    *, attempt: AuthorizationAttempt, grant: TokenGrant, account: ChosenAccount, user
) -> tuple[Integration, str]:
    """Stores the grant for an account that passed the checks, with its event (inside the
    caller's transaction); the integration and whether it was connected or reactivated."""
    integration, kind = store_grant(attempt=attempt, grant=grant, account=account)
    event_record(integration=integration, kind=kind, actor=user, details=account.name)
    if kind == IntegrationEvent.Kind.REAUTHORIZED:
        notify_reconnected(integration=integration)
    return integration, kind
