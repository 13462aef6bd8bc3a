"""The refresh lease: one token request in flight per integration, and its durable evidence.

Taken with one conditional UPDATE and committed before the request leaves, so two workers never
send the same refresh token, no row lock is held across the network, and a holder that dies
mid-request leaves the lease behind: found expired later, it means the request's outcome is
unknown (the marketplace may have rotated the token), whatever happened to Redis meanwhile.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from integrations import conf
from integrations.models import Integration, IntegrationEvent
from integrations.providers import OAuth2Provider, UnknownOutcomeRetry
from integrations.services import reasons
from integrations.services.events import event_record

logger = logging.getLogger(__name__)


def lease_ttl(provider: OAuth2Provider) -> timedelta:
    """Long enough for the requests the refresh may send (one retry at once when the provider
    has a reuse grace period), plus a margin."""
    requests = 2 if provider.unknown_outcome_retry is UnknownOutcomeRetry.AT_ONCE else 1
    seconds = requests * (provider.config.connect_timeout + provider.config.read_timeout)
    return timedelta(seconds=seconds + conf.refresh_lease_margin_seconds())


@dataclass(frozen=True)
class RefreshLease:
    integration_id: int
    taken_at: datetime
    expires_at: datetime
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    @classmethod
    def take(cls, integration: Integration, *, ttl: timedelta) -> "RefreshLease | None":
        """The lease, if the row is still Ativo, holds the token we read and nobody holds one."""
        now = timezone.now()
        lease = cls(integration.pk, now, now + ttl)
        taken = Integration.objects.filter(
            pk=integration.pk,
            status=Integration.Status.ACTIVE,
            refresh_token_ciphertext=integration.refresh_token_ciphertext,
            refresh_lease_id__isnull=True,
        ).update(refresh_lease_id=lease.id, refresh_lease_expires_at=lease.expires_at)
        return lease if taken else None

    def release(self, **changes) -> bool:
        """Gives the lease back, with ``changes``, if it is still ours."""
        return bool(
            Integration.objects.filter(pk=self.integration_id, refresh_lease_id=self.id).update(
                refresh_lease_id=None, refresh_lease_expires_at=None, **changes
            )
        )


def lease_record_interrupted(integration: Integration) -> None:
    """A lease found expired: its holder stopped with the token request's outcome unknown.

    Records that durably (``rotation_unknown_since``) and frees the row; the instance is updated.
    """
    stale_lease, stale_until = integration.refresh_lease_id, integration.refresh_lease_expires_at
    since = integration.rotation_unknown_since or stale_until
    now = timezone.now()
    with transaction.atomic():
        cleared = Integration.objects.filter(
            pk=integration.pk, refresh_lease_id=stale_lease
        ).update(
            refresh_lease_id=None,
            refresh_lease_expires_at=None,
            rotation_unknown_since=since,
            last_error_at=now,
        )
        if cleared:
            event_record(
                integration=integration,
                kind=IntegrationEvent.Kind.REFRESH_FAILED,
                details=reasons.interrupted(integration.marketplace_name),
            )
    if cleared:
        logger.warning(
            "integrations.refresh.interrupted_found", extra={"integration_id": integration.pk}
        )
    integration.refresh_lease_id = integration.refresh_lease_expires_at = None
    integration.rotation_unknown_since = since
