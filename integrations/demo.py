"""The demo seller's integrations, made from the accounts each stand-in offers: an Ativo one
holding a real token pair its stand-in issued, others Token Expirado to click "Ativar token
expirado" through (development only)."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from integrations.models import Integration
from integrations.services.events import event_record


def ensure_active(
    seller,
    *,
    marketplace: str,
    account_id: str,
    name: str,
    document: str,
    body: dict,
    authorization_ends: datetime | None = None,
) -> Integration:
    """An Ativo integration holding the token response ``body`` (created once)."""

    def activate(integration: Integration, now: datetime) -> None:
        integration.set_tokens(
            access_token=body["access_token"], refresh_token=body["refresh_token"]
        )
        integration.access_token_expires_at = now + timedelta(seconds=int(body["expires_in"]))
        integration.scopes = body.get("scope", "")
        integration.status = Integration.Status.ACTIVE
        integration.last_renewed_at = now
        integration.authorization_expires_at = authorization_ends

    account = (seller, marketplace, account_id, name, document)
    return _ensure(*account, event_kind="connected", fill=activate)


def ensure_expired(
    seller, *, marketplace: str, account_id: str, name: str, document: str, reason: str
) -> Integration:
    """A Token Expirado integration, as if its grant had died two days ago (created once)."""

    def expire(integration: Integration, now: datetime) -> None:
        integration.last_error = reason
        integration.last_error_at = now - timedelta(days=2)
        integration.last_renewed_at = now - timedelta(days=32)

    account = (seller, marketplace, account_id, name, document)
    return _ensure(*account, event_kind="expired", fill=expire)


def _ensure(
    seller,
    marketplace: str,
    account_id: str,
    name: str,
    document: str,
    *,
    event_kind: str,
    fill: Callable[[Integration, datetime], None],
) -> Integration:
    """The account's integration; when new, filled in by ``fill`` and its event recorded."""
    integration, created = _integration(seller, marketplace, account_id, name, document)
    if created:
        fill(integration, timezone.now())
        integration.save()
        event_record(integration=integration, kind=event_kind, details="dados de demonstração")
    return integration


def _integration(seller, marketplace, account_id, name, document) -> tuple[Integration, bool]:
    return Integration.objects.get_or_create(
        marketplace=marketplace,
        external_id=account_id,
        defaults={
            "seller": seller,
            "account_name": name,
            "account_document": document,
            "status": Integration.Status.EXPIRED,
            # As a real expiry would leave it: the marketplace refused the renewal.
            "expiry_cause": Integration.ExpiryCause.REVOKED,
        },
    )


def ensure(seller, account) -> Integration:
    """The integration of one stand-in demo account (``marketplaces.sandbox.demo.DemoAccount``)."""
    identity = {
        "marketplace": account.marketplace,
        "account_id": account.account_id,
        "name": account.name,
        "document": account.document,
    }
    if account.token_body is not None:
        return ensure_active(
            seller,
            **identity,
            body=account.token_body,
            authorization_ends=account.authorization_ends,
        )
    return ensure_expired(seller, **identity, reason=account.expiry_reason)
