"""The OAuth 2.0 Authorization Code journey: "Ativar token expirado" and a first connection.

RFC 6749 §4.1: a state bound to the seller's session and to the integration, valid a few minutes
and single use; the code exchanged once, synchronously; the account the seller chose must be the
integration's, of a kind the marketplace's provider accepts, before anything is stored. An account
of a kind nobody recognises is never connected on a guess: the attempt keeps it for support.
"""

import hashlib
import hmac
import logging
import secrets
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from hub.text import clean_text
from integrations import conf, pkce
from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from integrations.services.events import event_record
from integrations.services.grants import apply_grant
from integrations.services.notifications import notify_reconnected
from integrations.services.outcomes import AuthorizationResult, refusal_reason, result_for
from marketplaces import (
    AccountKind,
    AuthorizationUnsupported,
    ChosenAccount,
    OAuth2Provider,
    OperatorLogin,
    ProviderError,
    TokenGrant,
    get_provider,
)

logger = logging.getLogger(__name__)

Outcome = AuthorizationAttempt.Outcome
# Provider text is cut to the columns that hold it; an id that does not fit is refused.
_EXTERNAL_ID_MAX = Integration._meta.get_field("external_id").max_length
_ACCOUNT_NAME_MAX = Integration._meta.get_field("account_name").max_length
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
    return hashlib.sha256(f"session:{session_binding}".encode()).hexdigest()


def integration_start_authorization(
    *, seller, user, session_binding: str, marketplace: str, integration: Integration | None = None
) -> str:
    """Creates an attempt and returns the provider's consent URL to redirect the browser to."""
    if integration is not None and integration.seller_id != seller.pk:
        raise ValueError("integration belongs to another seller")
    provider = get_provider(marketplace)
    state = secrets.token_urlsafe(32)  # 256 bits
    now = timezone.now()
    attempt = AuthorizationAttempt(
        seller=seller,
        user=user,
        integration=integration,
        marketplace=marketplace,
        state_hash=AuthorizationAttempt.hash_secret(state),
        session_hash=session_fingerprint(session_binding),
        created_at=now,
        expires_at=now + conf.authorization_state_ttl(),
    )
    challenge = None
    if provider.uses_pkce:
        verifier = pkce.new_verifier()
        attempt.set_code_verifier(verifier)
        challenge = pkce.s256_challenge(verifier)
    attempt.save()
    logger.info(
        "integrations.authorization.started",
        extra={"attempt_id": attempt.pk, "integration_id": getattr(integration, "pk", None)},
    )
    return provider.authorization_url(state=state, code_challenge=challenge)


def integration_complete_authorization(
    *,
    marketplace: str,
    state: str,
    code: str,
    error: str,
    issuer: str,
    session_binding: str,
    user,
    extra: Mapping[str, str] | None = None,
) -> AuthorizationResult:
    """Handles the callback. Never raises for bad input or provider trouble: returns the outcome.

    ``extra``: the provider's declared ``callback_params`` as the callback received them.
    """
    attempt = _consume_attempt(state=state, session_binding=session_binding, user=user)
    if isinstance(attempt, AuthorizationResult):
        return attempt
    provider = get_provider(attempt.marketplace)

    if attempt.marketplace != marketplace:
        return _refuse(attempt, Outcome.PROVIDER_ERROR, details="retorno de outro marketplace")
    if error in provider.operator_login_errors:
        return _refuse(attempt, Outcome.OPERATOR_LOGIN, details=f"error={clean_text(error, 60)}")
    if error:
        kind = Outcome.CANCELLED if error == "access_denied" else Outcome.PROVIDER_ERROR
        return _refuse(attempt, kind, details=f"error={clean_text(error, 60)}")
    if issuer and not hmac.compare_digest(issuer.encode(), provider.issuer.encode()):
        return _refuse(
            attempt, Outcome.PROVIDER_ERROR, details="iss diferente do emissor configurado"
        )
    if not code:
        return _refuse(attempt, Outcome.PROVIDER_ERROR, details="retorno sem code")

    try:
        # Exchanged exactly once, here; a read timeout is not retried (the code may be spent).
        grant = provider.exchange_code(
            code=code, code_verifier=attempt.code_verifier or None, extra=dict(extra or {})
        )
        account = provider.identify_account(grant=grant)
    except AuthorizationUnsupported as exc:
        return _refuse(attempt, Outcome.UNSUPPORTED, details=str(exc))
    except OperatorLogin as exc:
        return _refuse(attempt, Outcome.OPERATOR_LOGIN, details=str(exc))
    except ProviderError as exc:
        logger.warning(
            "integrations.authorization.provider_error",
            extra={"attempt_id": attempt.pk, "error": type(exc).__name__},
        )
        return _refuse(attempt, Outcome.PROVIDER_ERROR, details=str(exc))
    return _attach(attempt=attempt, provider=provider, grant=grant, account=account, user=user)


def _consume_attempt(
    *, state: str, session_binding: str, user
) -> AuthorizationAttempt | AuthorizationResult:
    """Finds the attempt for this state and this session and consumes it atomically."""
    if not state:
        return result_for(Outcome.EXPIRED_STATE, reason="missing")
    state_hash = AuthorizationAttempt.hash_secret(state)
    attempt = (
        AuthorizationAttempt.objects.select_related("integration")
        .filter(state_hash=state_hash)
        .first()
    )
    if attempt is None or not hmac.compare_digest(attempt.state_hash, state_hash):
        return result_for(Outcome.EXPIRED_STATE, reason="unknown")
    same_session = hmac.compare_digest(attempt.session_hash, session_fingerprint(session_binding))
    if not same_session or attempt.user_id != getattr(user, "pk", None):
        return result_for(Outcome.EXPIRED_STATE, reason="other_session")
    now = timezone.now()
    consumed = AuthorizationAttempt.objects.filter(pk=attempt.pk, consumed_at__isnull=True).update(
        consumed_at=now
    )
    if not consumed:
        return result_for(Outcome.EXPIRED_STATE, reason="reused", attempt=attempt)
    attempt.consumed_at = now
    if attempt.expires_at <= now:
        return _refuse(attempt, Outcome.EXPIRED_STATE, details="state expirado")
    return attempt


def _refuse(
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
        attempt.chosen_external_id = clean_text(account.external_id or "", _EXTERNAL_ID_MAX)
        attempt.chosen_account_name = clean_text(account.name, _ACCOUNT_NAME_MAX)
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


def _account_verdict(
    provider: OAuth2Provider, account: ChosenAccount, *, attempt: AuthorizationAttempt
) -> tuple[str, str] | None:
    """Why this account cannot be connected (outcome, details), or None when it can."""
    if not account.external_id:
        return Outcome.ACCOUNT_UNVERIFIED, "o marketplace não informou qual conta foi escolhida"
    if len(account.external_id) > _EXTERNAL_ID_MAX:
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


def _attach(
    *,
    attempt: AuthorizationAttempt,
    provider: OAuth2Provider,
    grant: TokenGrant,
    account: ChosenAccount,
    user,
) -> AuthorizationResult:
    verdict = _account_verdict(provider, account, attempt=attempt)
    if verdict is not None:
        outcome, details = verdict
        if outcome == Outcome.ACCOUNT_UNVERIFIED:
            logger.error(
                "integrations.authorization.account_unverified",
                extra={"attempt_id": attempt.pk, "marketplace": attempt.marketplace},
            )
        return _refuse(attempt, outcome, account=account, details=details)
    expected = attempt.integration
    if expected is not None and account.external_id != expected.external_id:
        return _refuse(
            attempt,
            Outcome.WRONG_TENANT,
            account=account,
            details=f"esperada: {expected.account_name}",
        )
    taken = Integration.objects.filter(
        marketplace=attempt.marketplace, external_id=account.external_id
    ).exclude(seller=attempt.seller_id)
    if taken.exists():
        return _refuse(
            attempt,
            Outcome.OTHER_SELLER,
            account=account,
            details="conta já conectada a outra empresa",
        )
    try:
        with transaction.atomic():
            integration, kind = _store_grant(attempt=attempt, grant=grant, account=account)
            event_record(integration=integration, kind=kind, actor=user, details=account.name)
            if kind == IntegrationEvent.Kind.REAUTHORIZED:
                notify_reconnected(integration=integration)
            attempt.integration = integration
            attempt.outcome = Outcome.SUCCESS
            attempt.chosen_external_id = account.external_id
            attempt.chosen_account_name = integration.account_name
            attempt.chosen_account_kind = account.kind.value
            attempt.chosen_account_type = clean_text(account.kind_raw, 64)
            attempt.save(
                update_fields=[
                    "integration",
                    "outcome",
                    "chosen_external_id",
                    "chosen_account_name",
                    "chosen_account_kind",
                    "chosen_account_type",
                ]
            )
    except IntegrityError:
        # Another seller connected the same account between our check and our insert.
        return _refuse(
            attempt,
            Outcome.OTHER_SELLER,
            account=account,
            details="conta já conectada a outra empresa",
        )
    logger.info(
        "integrations.authorization.succeeded",
        extra={"attempt_id": attempt.pk, "integration_id": integration.pk},
    )
    renewed = kind == IntegrationEvent.Kind.REAUTHORIZED
    return result_for(
        Outcome.SUCCESS,
        attempt=attempt,
        account=account,
        reason="renewed" if renewed else "connected",
    )


def _store_grant(
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
    name = clean_text(account.name, _ACCOUNT_NAME_MAX)
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
