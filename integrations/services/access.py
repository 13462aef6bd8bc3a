"""get_access_token: the only door to a token for code that talks to a marketplace's API."""

import logging
import time
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

from integrations import conf
from integrations.crypto import UndecryptableToken
from integrations.due import window_of
from integrations.models import Integration
from integrations.services.grants import GRANT_FIELDS
from integrations.services.refresh import (
    TOKEN_EXPIRADO,
    RefreshOutcome,
    integration_refresh,
)
from marketplaces import AccessTokenRejected, TemporarilyUnavailable

logger = logging.getLogger(__name__)


class AccessTokenUnavailable(Exception):
    """No usable access token can be handed out now."""


class IntegrationExpired(AccessTokenUnavailable):
    """The integration is Token Expirado: only the seller can fix it, by reactivating it."""

    def __init__(self, integration: Integration):
        self.integration_id = integration.pk
        super().__init__(
            f"A integração “{integration.account_name}” ({integration.marketplace_name}) está com "
            "Token Expirado: a empresa precisa reativá-la em Configurações → Integrações → "
            "Marketplaces."
        )


def get_access_token(integration: Integration, *, refused: str | None = None) -> str:
    """A valid access token for the marketplace API, refreshed first when about to expire.

    ``refused``: the token the API just refused (a 401): renewed whatever its expiry says, and
    never handed back (while another worker's renewal of it is in flight, this waits for its pair).

    Raises ``IntegrationExpired`` (Token Expirado), ``TemporarilyUnavailable`` (the token ran out
    and the provider cannot renew it now: try later) or ``AccessTokenUnavailable``. The instance
    passed in is updated with what was stored.

    Call it outside any transaction of your own: a refresh commits the rotated pair at once, and
    inside a caller's transaction a rollback would throw away a pair the marketplace already issued.
    """
    if not integration.is_active:
        raise IntegrationExpired(integration)
    now = timezone.now()
    margin = min(conf.access_token_min_ttl(), window_of(integration.marketplace))
    unreadable = False
    if refused is None and _valid_at(integration, now + margin):
        try:
            return integration.access_token
        except UndecryptableToken:
            unreadable = True
    force = unreadable or refused is not None
    try:
        result = integration_refresh(integration_id=integration.pk, force=force)
    except TemporarilyUnavailable:
        if not force and _valid_at(integration, now):
            logger.warning(
                "integrations.access_token.stale_served", extra={"integration_id": integration.pk}
            )
            return integration.access_token
        raise
    fresh = result.integration
    if result.outcome == RefreshOutcome.BUSY:
        fresh = _wait_for_lease(integration)
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
        token = integration.access_token
    except UndecryptableToken as exc:
        raise AccessTokenUnavailable("O token guardado não pôde ser lido.") from exc
    if token == refused:  # the renewal did not happen (it failed for now, or lost a race)
        raise TemporarilyUnavailable(
            f"{integration.marketplace_name}: o token recusado ainda não foi renovado"
        )
    return token


def with_access_token[T](integration: Integration, call: Callable[[str], T]) -> T:
    """``call(access_token)``; when the API refuses the token (401) it is renewed once and
    ``call`` made once more, never in a loop (a fresh token refused too is not a token problem:
    ``AccessTokenRejected`` reaches the caller). Raises what ``get_access_token`` raises, and
    ``IntegrationExpired`` when the renewal finds the grant dead."""
    token = get_access_token(integration)
    try:
        return call(token)
    except AccessTokenRejected:
        return call(access_token_renewed(integration, token))


def access_token_renewed(integration: Integration, refused: str) -> str:
    """After the API refused ``refused``: one forced refresh through the keeper, and the token it
    stored. Raises ``IntegrationExpired`` when the keeper found the grant dead."""
    return get_access_token(integration, refused=refused)


def _wait_for_lease(integration: Integration, *, poll_seconds: float = 0.1) -> Integration:
    """Another worker's refresh is in flight: wait (at most until its lease ends) for its pair."""
    while True:
        fresh = Integration.objects.get(pk=integration.pk)
        lease_ends = fresh.refresh_lease_expires_at
        if fresh.refresh_lease_id is None or lease_ends is None or timezone.now() >= lease_ends:
            return fresh
        time.sleep(poll_seconds)


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
