"""Thin Celery tasks of the token keeper (and support's cleanup): ids in, small dicts out.

No token material ever travels in a task's arguments, result or log line (shared/DESIGN.md,
"Rules that hold everywhere"). Only ``TemporarilyUnavailable`` is retried.
"""

import logging
import random

from celery import shared_task

from integrations import conf
from integrations.models import Integration
from integrations.providers.base import TemporarilyUnavailable
from integrations.services.health import health_check_sweep, integration_health_check
from integrations.services.keeper_store import store
from integrations.services.refresh import (
    integration_refresh,
    refresh_slot_extend,
    refresh_slot_release,
    refresh_sweep,
)
from integrations.services.support import authorization_attempts_cleanup

logger = logging.getLogger(__name__)


def retry_countdown(*, retries: int, retry_after: float | None) -> float:
    """Exponential backoff with jitter, and never sooner than the server's Retry-After.

    RFC 9110 §10.2.3 (Retry-After) and RFC 6585 §4 (429); MAGALU.md: "429 (honour Retry-After)".
    """
    backoff = min(conf.backoff_cap_seconds(), conf.backoff_base_seconds() * 2**retries)
    countdown = random.uniform(backoff / 2, backoff)  # noqa: S311 (jitter, not a secret)
    if retry_after is not None:
        countdown = max(countdown, min(retry_after, conf.retry_after_cap_seconds()))
    return countdown


@shared_task(name="integrations.refresh_sweep", ignore_result=True)
def refresh_sweep_task() -> dict:
    return {"enqueued": refresh_sweep()}


@shared_task(bind=True, name="integrations.refresh_integration", ignore_result=True)
def refresh_integration_task(self, integration_id: int, force: bool = False) -> dict:
    with store.deletes_batched():  # the in-flight marker and the slot go in one round trip
        return _refresh_holding_slot(self, integration_id, force=force)


def _refresh_holding_slot(task, integration_id: int, *, force: bool) -> dict:
    keep_slot = False
    try:
        try:
            result = integration_refresh(integration_id=integration_id, force=force)
        except Integration.DoesNotExist:
            return {"integration_id": integration_id, "outcome": "gone"}
        except TemporarilyUnavailable as exc:
            if _may_retry(task):
                countdown = retry_countdown(
                    retries=task.request.retries, retry_after=exc.retry_after
                )
                keep_slot = True  # still queued: no second refresh of it meanwhile
                refresh_slot_extend(integration_id=integration_id, seconds=countdown)
                _log_retry("integrations.refresh.retry_scheduled", task, integration_id, countdown)
                raise task.retry(
                    countdown=countdown, max_retries=conf.refresh_max_retries()
                ) from None
            # Out of retries (or run inline): the integration stays Ativo with its error recorded,
            # and the next sweep tries again while it is due.
            logger.warning(
                "integrations.refresh.retries_exhausted",
                extra={"integration_id": integration_id, "retries": task.request.retries},
            )
            return {"integration_id": integration_id, "outcome": "unavailable"}
        return {"integration_id": integration_id, "outcome": str(result.outcome)}
    finally:
        if not keep_slot:
            refresh_slot_release(integration_id=integration_id)


@shared_task(name="integrations.health_check_sweep", ignore_result=True)
def health_check_sweep_task() -> dict:
    return {"enqueued": health_check_sweep()}


@shared_task(bind=True, name="integrations.health_check_integration", ignore_result=True)
def health_check_integration_task(self, integration_id: int) -> dict:
    try:
        result = integration_health_check(integration_id=integration_id)
    except TemporarilyUnavailable as exc:  # only from the refresh a 401 forced
        if not _may_retry(self):
            return {"integration_id": integration_id, "outcome": "unavailable"}
        countdown = retry_countdown(retries=self.request.retries, retry_after=exc.retry_after)
        _log_retry("integrations.health.retry_scheduled", self, integration_id, countdown)
        raise self.retry(countdown=countdown, max_retries=conf.refresh_max_retries()) from None
    return {"integration_id": integration_id, "outcome": str(result.outcome)}


def _may_retry(task) -> bool:
    # Run inline (no Redis: keep_tokens_alive), Celery would retry at once, ignoring the
    # countdown; the next sweep is the retry there.
    return not task.request.is_eager and task.request.retries < conf.refresh_max_retries()


def _log_retry(event: str, task, integration_id: int, countdown: float) -> None:
    logger.info(
        event,
        extra={
            "integration_id": integration_id,
            "retries": task.request.retries,
            "countdown": round(countdown, 1),
        },
    )


@shared_task(name="integrations.authorization_attempts_cleanup", ignore_result=True)
def authorization_attempts_cleanup_task() -> dict:
    """Support's housekeeping (issue 5), on beat's clock here with the keeper's."""
    return {"deleted": authorization_attempts_cleanup()}
