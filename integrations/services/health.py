"""Early detection: one cheap authenticated call per Ativo integration to the marketplace API.

A 401 only says that this access token no longer works (RFC 6750 §3.1, ``invalid_token``); it
triggers an immediate refresh, and only the token endpoint's ``invalid_grant`` (RFC 6749 §5.2)
leads to Token Expirado. Healthy integrations are not written to: thousands of checks an hour
leave no rows behind.
"""

import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from django.db import transaction
from django.utils import timezone

from integrations import conf
from integrations.crypto import UndecryptableToken
from integrations.models import Integration
from integrations.providers import UnknownMarketplace, get_provider
from integrations.providers.base import (
    AccessTokenRejected,
    ProviderMisconfigured,
    TemporarilyUnavailable,
)
from integrations.services.refresh import TOKEN_EXPIRADO, RefreshOutcome, integration_refresh

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
        provider.check_access_token(access_token=access_token)
    except AccessTokenRejected:
        return _refresh_now(integration_id, why="access_token_rejected")
    except TemporarilyUnavailable as exc:
        logger.warning(
            "integrations.health.api_unavailable",
            extra={"integration_id": integration_id, "status": exc.status},
        )
        return HealthResult(integration_id, HealthOutcome.UNAVAILABLE)
    except (ProviderMisconfigured, UnknownMarketplace) as exc:
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


def integrations_active_ids(*, batch_size: int) -> Iterator[list[int]]:
    """Ids of every Ativo integration, in batches paginated by keyset on the primary key."""
    active = Integration.objects.filter(status=Integration.Status.ACTIVE).order_by("pk")
    last_pk = 0
    while True:
        ids = list(active.filter(pk__gt=last_pk).values_list("pk", flat=True)[:batch_size])
        if ids:
            yield ids
        if len(ids) < batch_size:
            return
        last_pk = ids[-1]


def health_check_sweep() -> int:
    """Fans out one health-check task per Ativo integration, spread over a few minutes."""
    spread = conf.health_check_spread_seconds()
    count = 0
    for ids in integrations_active_ids(batch_size=conf.sweep_batch_size()):
        for integration_id in ids:
            countdown = random.uniform(0, spread) if spread else None  # noqa: S311 (jitter)
            transaction.on_commit(partial(_send_health_task, integration_id, countdown))
            count += 1
    logger.info("integrations.health.sweep_done", extra={"enqueued": count})
    return count


def _send_health_task(integration_id: int, countdown: float | None) -> None:
    from integrations.tasks import health_check_integration_task

    options: dict = {"countdown": countdown} if countdown else {}
    if queue := conf.task_queue():
        options["queue"] = queue
    try:
        health_check_integration_task.apply_async(args=[integration_id], **options)
    except Exception:
        logger.exception(
            "integrations.health.enqueue_failed", extra={"integration_id": integration_id}
        )
