"""Verifying a pair stored after a refresh whose outcome was unknown.

Once the marketplace rotated a refresh token without our receiving the answer, no client can
save that grant; a late original can also revoke the pair stored after it (reuse detection,
RFC 9700 §4.14.2). What the hub owes the seller is to know it quickly: once the late-arrival
window has passed, one cheap authenticated call with the stored access token. A 401 there is a
lost rotation (Token Expirado, said as such, and the reactivation e-mail).
"""

import logging
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from integrations import conf
from integrations.crypto import UndecryptableToken
from integrations.models import Integration, IntegrationEvent
from integrations.services import reasons
from integrations.services.events import event_record
from integrations.services.lifecycle import integration_mark_expired
from marketplaces import (
    AccessTokenRejected,
    ProviderError,
    TemporarilyUnavailable,
    UnknownMarketplace,
    get_provider,
)

logger = logging.getLogger(__name__)


class VerifyOutcome(StrEnum):
    CONFIRMED = "confirmed"
    LOST = "lost"  # Token Expirado
    NOT_NEEDED = "not_needed"
    NOT_YET = "not_yet"
    POSTPONED = "postponed"  # an unexpected answer: asked again later, operators told


def integration_verify_rotation(*, integration_id: int) -> VerifyOutcome:
    """Checks the stored access token once the window of an unknown outcome has passed.

    Raises ``TemporarilyUnavailable`` when the API cannot answer now (the caller retries; the
    sweep also finds the integration again while ``rotation_verify_after`` stays set).
    """
    integration = Integration.objects.filter(pk=integration_id).first()
    if integration is None or not integration.is_active or not integration.rotation_verify_after:
        return VerifyOutcome.NOT_NEEDED
    due = integration.rotation_verify_after
    if due > timezone.now():
        return VerifyOutcome.NOT_YET
    extra = {"integration_id": integration_id}
    try:
        provider = get_provider(integration.marketplace)
        provider.check_access_token(
            access_token=integration.access_token, account_id=integration.external_id
        )
    except AccessTokenRejected:
        logger.error("integrations.rotation.lost", extra=extra)
        integration_mark_expired(
            integration_id=integration_id,
            reason=reasons.lost_rotation(provider.display_name),
            kind=IntegrationEvent.Kind.REFRESH_LOST,
            cause=Integration.ExpiryCause.LOST_ROTATION,
        )
        return VerifyOutcome.LOST
    except TemporarilyUnavailable:
        logger.warning("integrations.rotation.api_unavailable", extra=extra)
        raise
    except (ProviderError, UnknownMarketplace, UndecryptableToken) as exc:
        # Not a verdict on the token (a 403, a redirect, our configuration): ask again later.
        logger.error(
            "integrations.rotation.unexpected_answer",
            extra={**extra, "error": type(exc).__name__, "status": getattr(exc, "status", None)},
        )
        later = timezone.now() + conf.rotation_window()
        Integration.objects.filter(pk=integration_id, rotation_verify_after=due).update(
            rotation_verify_after=later
        )
        return VerifyOutcome.POSTPONED
    with transaction.atomic():
        confirmed = Integration.objects.filter(
            pk=integration_id, rotation_verify_after=due, status=Integration.Status.ACTIVE
        ).update(rotation_verify_after=None)
        if confirmed:
            event_record(
                integration=integration,
                kind=IntegrationEvent.Kind.ROTATION_CONFIRMED,
                details="o token renovado depois de uma resposta perdida foi aceito pela API",
            )
    logger.info("integrations.rotation.confirmed", extra=extra)
    return VerifyOutcome.CONFIRMED
