"""Warning a seller before an integration's authorization itself ends (where the marketplace
limits it): once per authorization, when it enters its provider's warning window."""

import logging
from datetime import datetime

from django.utils import timezone

from integrations.models import Integration
from integrations.notices.models import Cause, Notice
from integrations.notices.services import notify
from marketplaces import PROVIDERS

logger = logging.getLogger(__name__)


def authorization_ending_notify(*, now: datetime | None = None) -> int:
    """Tells the seller of each Ativo integration whose authorization ends within its
    provider's ``authorization_end_warning`` and was not yet told in this window; how many."""
    now = now or timezone.now()
    told = 0
    for key, provider in PROVIDERS.items():
        window = provider.authorization_end_warning
        ending = Integration.objects.filter(
            marketplace=key,
            status=Integration.Status.ACTIVE,
            authorization_expires_at__gt=now,
            authorization_expires_at__lte=now + window,
        ).order_by("pk")
        for integration in ending:
            # A notice from this window already exists: a new authorization (a later end date)
            # opens a new window, so it is told again when that one comes.
            if Notice.objects.filter(
                integration=integration,
                cause=Cause.AUTHORIZATION_ENDING,
                created_at__gte=integration.authorization_expires_at - window,
            ).exists():
                continue
            notify(integration=integration, cause=Cause.AUTHORIZATION_ENDING)
            told += 1
    if told:
        logger.info("notices.authorization_ending.notified", extra={"integrations": told})
    return told
