"""Telling a seller's users that an integration needs them, or is fine again: thin names over
``integrations.notices.services.notify`` (an in-app notice and an e-mail each, after commit)."""

from datetime import datetime

from django.conf import settings

from integrations.models import Integration
from integrations.notices.models import Cause
from integrations.notices.services import notify, notify_reactivation_link
from integrations.notices.texts import reactivation_path


def reactivation_url(integration: Integration) -> str:
    """Absolute link to the reactivation page for this integration, built from SITE_URL."""
    return f"{settings.SITE_URL}{reactivation_path(integration)}"


def notify_reactivation_needed(*, integration: Integration, reason: str) -> None:
    """Token Expirado: a lost rotation is told as such (not the seller's doing)."""
    lost = integration.expiry_cause == Integration.ExpiryCause.LOST_ROTATION
    notify(
        integration=integration,
        cause=Cause.LOST_RENEWAL if lost else Cause.EXPIRED,
        details=reason,
    )


def notify_import_failing(*, integration: Integration, since: datetime, reason: str) -> None:
    notify(integration=integration, cause=Cause.IMPORT_FAILING, details=reason, since=since)


def notify_import_recovered(*, integration: Integration, since: datetime) -> None:
    notify(integration=integration, cause=Cause.IMPORT_RECOVERED, since=since)


def notify_silence(*, integration: Integration, details: str) -> None:
    notify(integration=integration, cause=Cause.SILENCE, details=details)


def notify_orders_resumed(*, integration: Integration) -> None:
    notify(integration=integration, cause=Cause.ORDERS_RESUMED)


def notify_reconnected(*, integration: Integration) -> None:
    notify(integration=integration, cause=Cause.RECONNECTED)


__all__ = [
    "notify_import_failing",
    "notify_import_recovered",
    "notify_orders_resumed",
    "notify_reactivation_link",
    "notify_reactivation_needed",
    "notify_reconnected",
    "notify_silence",
    "reactivation_url",
]
