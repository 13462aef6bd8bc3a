"""Early detection: one cheap authenticated call per Ativo integration to the marketplace API.

A 401 only says that this access token no longer works (RFC 6750 §3.1, ``invalid_token``); it
triggers an immediate refresh, and only the token endpoint's ``invalid_grant`` (RFC 6749 §5.2)
leads to Token Expirado. Healthy integrations are not written to: thousands of checks an hour
leave no rows behind.
"""

import logging
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

from integrations.crypto import UndecryptableToken
from integrations.models import Integration
from integrations.services.refresh import TOKEN_EXPIRADO, RefreshOutcome, integration_refresh
from marketplaces import (
    AccessTokenRejected,
    OperatorLogin,
    ProviderMisconfigured,
    TemporarilyUnavailable,
    UnknownMarketplace,
    get_provider,
)

logger = logging.getLogger(__name__)


class HealthOutcome(StrEnum):
    HEALTHY = "healthy"
    REFRESHED = "refreshed"  # the API refused the token; a forced refresh renewed it
    EXPIRED = "expired"  # ... and the token endpoint said the grant is dead: Token Expirado
    NOT_RENEWED = "not_renewed"  # ... and the refresh ended otherwise (misconfigured, superseded)
    NOT_ACTIVE = "not_active"
    UNAVAILABLE = "unavailable"  # the API is down or slow: nothing is concluded
    UNEXPECTED = "unexpected"  # 3xx/403/404 ...: logged for operators, nothing changed


@dataclass(frozen=True)
class HealthResult:
    integration_id: int
    outcome: HealthOutcome
    refresh: RefreshOutcome | None = None


def integration_health_check(*, integration_id: int) -> HealthResult:
    """Checks one integration's access token against the API; refreshes at once on a 401.

    Raises ``TemporarilyUnavailable`` only from that refresh (the caller retries the check).
    """
    integration = Integration.objects.filter(pk=integration_id).first()
    if integration is None or not integration.is_active:
        return HealthResult(integration_id, HealthOutcome.NOT_ACTIVE)
    expires_at = integration.access_token_expires_at
    if expires_at is None or expires_at <= timezone.now():
        # The API would only confirm what the clock says (the sweep missed it, say, in an outage).
        return _refresh_now(integration_id, why="expired_by_clock")
    try:
        access_token = integration.access_token
    except UndecryptableToken:
        return _refresh_now(integration_id, why="access_token_unreadable")
    try:
        provider = get_provider(integration.marketplace)
        provider.check_access_token(access_token=access_token, account_id=integration.external_id)
    except AccessTokenRejected:
        return _refresh_now(integration_id, why="access_token_rejected")
    except TemporarilyUnavailable as exc:
        logger.warning(
            "integrations.health.api_unavailable",
            extra={"integration_id": integration_id, "status": exc.status},
        )
        return HealthResult(integration_id, HealthOutcome.UNAVAILABLE)
    except (ProviderMisconfigured, OperatorLogin, UnknownMarketplace) as exc:
        logger.error(
            "integrations.health.unexpected_answer",
            extra={"integration_id": integration_id, "status": getattr(exc, "status", None)},
        )
        return HealthResult(integration_id, HealthOutcome.UNEXPECTED)
    logger.debug("integrations.health.ok", extra={"integration_id": integration_id})
    return HealthResult(integration_id, HealthOutcome.HEALTHY)


def _refresh_now(integration_id: int, *, why: str) -> HealthResult:
    logger.warning(
        "integrations.health.refresh_forced", extra={"integration_id": integration_id, "why": why}
    )
    result = integration_refresh(integration_id=integration_id, force=True)
    if result.outcome in (RefreshOutcome.REFRESHED, RefreshOutcome.ALREADY_REFRESHED):
        outcome = HealthOutcome.REFRESHED
    elif result.outcome in TOKEN_EXPIRADO:
        outcome = HealthOutcome.EXPIRED
    elif result.outcome == RefreshOutcome.NOT_ACTIVE:
        outcome = HealthOutcome.NOT_ACTIVE
    else:
        outcome = HealthOutcome.NOT_RENEWED
    return HealthResult(integration_id, outcome, result.outcome)
