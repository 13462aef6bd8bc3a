"""The OAuth 2.0 Authorization Code journey: "Ativar token expirado" and a first connection.

RFC 6749 §4.1: a state bound to the seller's session and to the integration, valid a few minutes
and single use; the code exchanged once, synchronously; the account the seller chose must be the
integration's, of a kind the marketplace's provider accepts, before anything is stored. An account
of a kind nobody recognises is never connected on a guess: the attempt keeps it for support.
"""

import hmac
import logging
import secrets
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from hub.text import clean_text
from integrations import conf, pkce
from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from integrations.services.account_choice import offer_accounts
from integrations.services.attach import (
    account_verdict,
    connect_account,
    refuse,
    session_fingerprint,
    taken_by_another_seller,
)
from integrations.services.outcomes import AuthorizationResult, result_for
from marketplaces import (
    AuthorizationCallback,
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
        return refuse(attempt, Outcome.PROVIDER_ERROR, details="retorno de outro marketplace")
    if error in provider.operator_login_errors:
        return refuse(attempt, Outcome.OPERATOR_LOGIN, details=f"error={clean_text(error, 60)}")
    if error:
        kind = Outcome.CANCELLED if error == "access_denied" else Outcome.PROVIDER_ERROR
        return refuse(attempt, kind, details=f"error={clean_text(error, 60)}")
    if issuer and not hmac.compare_digest(issuer.encode(), provider.issuer.encode()):
        return refuse(
            attempt, Outcome.PROVIDER_ERROR, details="iss diferente do emissor configurado"
        )
    if not code:
        return refuse(attempt, Outcome.PROVIDER_ERROR, details="retorno sem code")

    try:
        # Exchanged exactly once, here; a read timeout is not retried (the code may be spent).
        callback = AuthorizationCallback(code, attempt.code_verifier or None, dict(extra or {}))
        grant = provider.exchange_code(callback)
        if grant.accounts:
            return offer_accounts(attempt=attempt, provider=provider, grant=grant)
        account = provider.identify_account(grant=grant)
    except AuthorizationUnsupported as exc:
        return refuse(attempt, Outcome.UNSUPPORTED, details=str(exc))
    except OperatorLogin as exc:
        return refuse(attempt, Outcome.OPERATOR_LOGIN, details=str(exc))
    except ProviderError as exc:
        logger.warning(
            "integrations.authorization.provider_error",
            extra={"attempt_id": attempt.pk, "error": type(exc).__name__},
        )
        return refuse(attempt, Outcome.PROVIDER_ERROR, details=str(exc))
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
        return refuse(attempt, Outcome.EXPIRED_STATE, details="state expirado")
    return attempt


def _attach(
    *,
    attempt: AuthorizationAttempt,
    provider: OAuth2Provider,
    grant: TokenGrant,
    account: ChosenAccount,
    user,
) -> AuthorizationResult:
    verdict = account_verdict(provider, account, attempt=attempt)
    if verdict is not None:
        outcome, details = verdict
        if outcome == Outcome.ACCOUNT_UNVERIFIED:
            logger.error(
                "integrations.authorization.account_unverified",
                extra={"attempt_id": attempt.pk, "marketplace": attempt.marketplace},
            )
        return refuse(attempt, outcome, account=account, details=details)
    expected = attempt.integration
    if expected is not None and account.external_id != expected.external_id:
        return refuse(
            attempt,
            Outcome.WRONG_TENANT,
            account=account,
            details=f"esperada: {expected.account_name}",
        )
    if taken_by_another_seller(attempt, account.external_id):
        return refuse(
            attempt,
            Outcome.OTHER_SELLER,
            account=account,
            details="conta já conectada a outra empresa",
        )
    try:
        with transaction.atomic():
            integration, kind = connect_account(
                attempt=attempt, grant=grant, account=account, user=user
            )
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
        return refuse(
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
