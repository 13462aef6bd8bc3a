"""get_access_token: what other code (the order import, later) calls to talk to the marketplace."""

import logging
from datetime import datetime

from django.utils import timezone

from integrations import conf
from integrations.crypto import UndecryptableToken
from integrations.models import Integration
from integrations.providers.base import TemporarilyUnavailable
from integrations.services.refresh import GRANT_FIELDS, TOKEN_EXPIRADO, integration_refresh

logger = logging.getLogger(__name__)


class AccessTokenUnavailable(Exception):
    """No usable access token can be handed out now."""


class IntegrationExpired(AccessTokenUnavailable):
    """The integration is Token Expirado: only the seller can fix it, by reactivating it."""

    def __init__(self, integration: Integration):
        self.integration_id = integration.pk
        super().__init__(
            f"A integração “{integration.account_name}” ({integration.marketplace_name}) está com "
            "Token Expirado: o seller precisa reativá-la em Configurações → Integrações → "
            "Marketplaces."
        )


def get_access_token(integration: Integration) -> str:
    """A valid access token for the marketplace API, refreshed first when about to expire.

    Raises ``IntegrationExpired`` (Token Expirado), ``TemporarilyUnavailable`` (the token ran out
    and the provider cannot renew it now: try later) or ``AccessTokenUnavailable``. The instance
    passed in is updated with what was stored.

    Call it outside any transaction of your own: a refresh commits the rotated pair at once, and
    inside a caller's transaction a rollback would throw away a pair ID Magalu already issued.
    """
    if not integration.is_active:
        raise IntegrationExpired(integration)
    now = timezone.now()
    margin = min(conf.access_token_min_ttl(), conf.refresh_window())
    unreadable = False
    if _valid_at(integration, now + margin):
        try:
            return integration.access_token
        except UndecryptableToken:
            unreadable = True
    try:
        result = integration_refresh(integration_id=integration.pk, force=unreadable)
    except TemporarilyUnavailable:
        if not unreadable and _valid_at(integration, now):
            logger.warning(
                "integrations.access_token.stale_served", extra={"integration_id": integration.pk}
            )
            return integration.access_token
        raise
    fresh = result.integration
    if fresh is None:  # superseded: someone else stored another pair meanwhile
        integration.refresh_from_db()
        fresh = integration
    _copy_state(fresh, into=integration)
    if result.outcome in TOKEN_EXPIRADO or not integration.is_active:
        raise IntegrationExpired(integration)
    if not _valid_at(integration, timezone.now()):
        raise AccessTokenUnavailable(
            f"Não há token de acesso válido para “{integration.account_name}” agora "
            f"({result.outcome}); tente novamente mais tarde."
        )
    try:
        return integration.access_token
    except UndecryptableToken as exc:
        raise AccessTokenUnavailable("O token guardado não pôde ser lido.") from exc


def _valid_at(integration: Integration, moment: datetime) -> bool:
    expires_at = integration.access_token_expires_at
    return (
        bool(integration.access_token_ciphertext) and expires_at is not None and expires_at > moment
    )


def _copy_state(source: Integration, *, into: Integration) -> None:
    if source is into:
        return
    for name in GRANT_FIELDS:
        setattr(into, name, getattr(source, name))
