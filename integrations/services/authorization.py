"""The OAuth 2.0 Authorization Code journey: "Ativar token expirado", first connection.

RFC 6749 §4.1 with Magalu's rules (shared/MAGALU.md): ``choose_tenants=true``; a state bound to
the seller's session and to the integration, valid 10 minutes and single use; the code exchanged
once, synchronously; the chosen tenant must be the integration's before anything is stored.
"""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations import pkce
from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from integrations.providers import get_provider
from integrations.providers.base import ChosenTenant, ProviderError, TenantKind, TokenGrant
from integrations.services.events import event_record
from integrations.services.outcomes import AuthorizationResult, result_for

logger = logging.getLogger(__name__)

# Magalu: "O código de autorização possui validade limitada de 10 minutos" (seeds/001).
ATTEMPT_TTL = timedelta(minutes=10)
Outcome = AuthorizationAttempt.Outcome
# Provider text is cut to the columns that hold it; an id that does not fit is refused.
_EXTERNAL_ID_MAX = Integration._meta.get_field("external_id").max_length
_ACCOUNT_NAME_MAX = Integration._meta.get_field("account_name").max_length
# Refusals that matter to the integration's history (the seller tried and picked wrongly).
_HISTORY_OF_REFUSAL = {
    Outcome.WRONG_TENANT: IntegrationEvent.Kind.WRONG_TENANT,
    Outcome.NATURAL_PERSON: IntegrationEvent.Kind.AUTHORIZATION_FAILED,
    Outcome.OTHER_SELLER: IntegrationEvent.Kind.AUTHORIZATION_FAILED,
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
        expires_at=now + ATTEMPT_TTL,
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
) -> AuthorizationResult:
    """Handles the callback. Never raises for bad input or provider trouble: returns the outcome."""
    attempt = _consume_attempt(state=state, session_binding=session_binding, user=user)
    if isinstance(attempt, AuthorizationResult):
        return attempt
    provider = get_provider(attempt.marketplace)

    if attempt.marketplace != marketplace:
        return _refuse(attempt, Outcome.PROVIDER_ERROR, details="retorno de outro marketplace")
    if error:
        kind = Outcome.CANCELLED if error == "access_denied" else Outcome.PROVIDER_ERROR
        return _refuse(attempt, kind, details=f"error={error[:60]}")
    if issuer and not hmac.compare_digest(issuer.encode(), provider.issuer.encode()):
        return _refuse(
            attempt, Outcome.PROVIDER_ERROR, details="iss diferente do emissor configurado"
        )
    if not code:
        return _refuse(attempt, Outcome.PROVIDER_ERROR, details="retorno sem code")

    try:
        # Exchanged exactly once, here; a read timeout is not retried (the code may be spent).
        grant = provider.exchange_code(code=code, code_verifier=attempt.code_verifier or None)
        tenant = provider.identify_tenant(grant=grant)
    except ProviderError as exc:
        logger.warning(
            "integrations.authorization.provider_error",
            extra={"attempt_id": attempt.pk, "error": type(exc).__name__},
        )
        return _refuse(attempt, Outcome.PROVIDER_ERROR, details=str(exc))
    return _attach(attempt=attempt, grant=grant, tenant=tenant, user=user)


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
        return _refuse(attempt, Outcome.EXPIRED_STATE, details="state expirado (10 minutos)")
    return attempt


def _refuse(
    attempt: AuthorizationAttempt,
    outcome: str,
    *,
    details: str = "",
    tenant: ChosenTenant | None = None,
) -> AuthorizationResult:
    """Ends the attempt without touching the integration; the attempt keeps what was chosen."""
    attempt.outcome = outcome
    attempt.details = details[:500]
    if tenant is not None:
        attempt.chosen_external_id = (tenant.external_id or "")[:_EXTERNAL_ID_MAX]
        attempt.chosen_account_name = tenant.legal_name[:_ACCOUNT_NAME_MAX]
    history_kind = _HISTORY_OF_REFUSAL.get(outcome)
    with transaction.atomic():
        attempt.save(
            update_fields=["outcome", "details", "chosen_external_id", "chosen_account_name"]
        )
        if attempt.integration is not None and history_kind is not None:
            chosen = tenant.legal_name if tenant else ""
            event_record(
                integration=attempt.integration,
                kind=history_kind,
                actor=attempt.user,
                details=f"{attempt.get_outcome_display()}: {chosen}" if chosen else details,
            )
    logger.info(
        "integrations.authorization.refused", extra={"attempt_id": attempt.pk, "outcome": outcome}
    )
    return result_for(outcome, attempt=attempt, tenant=tenant)


def _attach(
    *, attempt: AuthorizationAttempt, grant: TokenGrant, tenant: ChosenTenant, user
) -> AuthorizationResult:
    if (
        tenant.kind is not TenantKind.LEGAL_ENTITY
        or not tenant.has_seller_access
        or not tenant.external_id
    ):
        return _refuse(
            attempt,
            Outcome.NATURAL_PERSON,
            tenant=tenant,
            details="sem Pessoa Jurídica com acesso de seller",
        )
    if len(tenant.external_id) > _EXTERNAL_ID_MAX:
        return _refuse(attempt, Outcome.PROVIDER_ERROR, details="id de conta longo demais")
    expected = attempt.integration
    if expected is not None and tenant.external_id != expected.external_id:
        return _refuse(
            attempt,
            Outcome.WRONG_TENANT,
            tenant=tenant,
            details=f"esperada: {expected.account_name}",
        )
    taken = Integration.objects.filter(
        marketplace=attempt.marketplace, external_id=tenant.external_id
    ).exclude(seller=attempt.seller_id)
    if taken.exists():
        return _refuse(
            attempt,
            Outcome.OTHER_SELLER,
            tenant=tenant,
            details="conta já conectada a outra empresa",
        )
    try:
        with transaction.atomic():
            integration, kind = _store_grant(attempt=attempt, grant=grant, tenant=tenant)
            event_record(integration=integration, kind=kind, actor=user, details=tenant.legal_name)
            attempt.integration = integration
            attempt.outcome = Outcome.SUCCESS
            attempt.chosen_external_id = tenant.external_id
            attempt.chosen_account_name = tenant.legal_name[:_ACCOUNT_NAME_MAX]
            attempt.save(
                update_fields=[
                    "integration",
                    "outcome",
                    "chosen_external_id",
                    "chosen_account_name",
                ]
            )
    except IntegrityError:
        # Another seller connected the same account between our check and our insert.
        return _refuse(
            attempt,
            Outcome.OTHER_SELLER,
            tenant=tenant,
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
        tenant=tenant,
        reason="renewed" if renewed else "connected",
    )


def _store_grant(
    *, attempt: AuthorizationAttempt, grant: TokenGrant, tenant: ChosenTenant
) -> tuple[Integration, str]:
    """Saves the new tokens on the integration row, locked; creates it on a first connection."""
    existing = (
        Integration.objects.select_for_update()
        .filter(
            marketplace=attempt.marketplace,
            external_id=tenant.external_id,
            seller=attempt.seller_id,
        )
        .first()
    )
    if existing is None:
        integration = Integration(
            seller_id=attempt.seller_id,
            marketplace=attempt.marketplace,
            external_id=tenant.external_id,
            account_name=tenant.legal_name[:_ACCOUNT_NAME_MAX],
        )
        kind = IntegrationEvent.Kind.CONNECTED
    else:
        integration = existing
        kind = IntegrationEvent.Kind.REAUTHORIZED
    apply_grant(integration, grant)
    if tenant.legal_name:
        integration.account_name = tenant.legal_name[:_ACCOUNT_NAME_MAX]
    integration.save()
    return integration, kind


def apply_grant(integration: Integration, grant: TokenGrant) -> None:
    """Puts a fresh token pair on the integration (not saved): Ativo, renewed now, no error."""
    integration.set_tokens(access_token=grant.access_token, refresh_token=grant.refresh_token)
    integration.access_token_expires_at = grant.expires_at
    integration.scopes = " ".join(sorted(grant.scopes))
    integration.status = Integration.Status.ACTIVE
    integration.last_renewed_at = timezone.now()
    integration.last_error = ""
    integration.last_error_at = None
