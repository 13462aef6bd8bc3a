"""Thin Celery tasks of the token keeper (and support's cleanup): ids in, small dicts out.

No token material ever travels in a task's arguments, result or log line. Only
``TemporarilyUnavailable`` is retried, by Celery under the one policy of ``TransientRetry``
(never sooner than its ``retry_after``). Services queue these by name (``integrations.dispatch``);
this module imports them, never the other way round.
"""

import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from celery import shared_task

from integrations import conf, dispatch
from integrations.models import Integration
from integrations.services.health import integration_health_check
from integrations.services.keeper_queue import refresh_slot, verify_slot
from integrations.services.lease import lease_ttl
from integrations.services.lifecycle import integration_note_retry
from integrations.services.refresh import (
    RefreshResult,
    integration_refresh,
    refresh_complete,
    refresh_prepare,
)
from integrations.services.rotation import integration_verify_rotation
from integrations.services.support import authorization_attempts_cleanup
from integrations.services.sweep import health_check_sweep, refresh_sweep
from integrations.services.token_request import TokenRequest, token_request_lane
from integrations.sync.retry import retried_task, retry_countdown
from marketplaces import TemporarilyUnavailable

logger = logging.getLogger(__name__)


@shared_task(name="integrations.refresh_sweep", ignore_result=True)
def refresh_sweep_task() -> dict:
    return {"enqueued": refresh_sweep()}


def _note_retry(integration_id: int, countdown: float) -> None:
    integration_note_retry(integration_id=integration_id, in_seconds=countdown)


@retried_task(
    dispatch.REFRESH,
    holds=refresh_slot,  # still queued while it waits: no second refresh of it meanwhile
    retry_event="integrations.refresh.retry_scheduled",
    on_retry_scheduled=_note_retry,
)
def refresh_integration_task(self, integration_id: int, force: bool = False) -> dict:
    # Not ``self.attempt``: giving up, it still needs the failure (its Retry-After).
    with self.holding_slot(integration_id):
        try:
            result = integration_refresh(integration_id=integration_id, force=force)
        except Integration.DoesNotExist:
            return {"integration_id": integration_id, "outcome": "gone"}
        except TemporarilyUnavailable as exc:
            if self.retries_left():
                raise  # Celery retries it (integrations.sync.retry)
            # Out of retries (or run inline): the integration stays Ativo with its error
            # recorded, and the next sweep tries again while it is due.
            integration_note_retry(integration_id=integration_id, in_seconds=_next_sweep_in(exc))
            logger.warning(
                "integrations.refresh.retries_exhausted",
                extra={"integration_id": integration_id, "retries": self.request.retries},
            )
            return self.unavailable(integration_id)
    return {"integration_id": integration_id, "outcome": str(result.outcome)}


@shared_task(bind=True, name=dispatch.REFRESH_BATCH, ignore_result=True)
def refresh_batch_task(self, integration_ids: list[int]) -> dict:
    """Several due integrations, each refreshed as the single task would: its own lease, one
    token request, its events. The requests leave one at a time on the batch's lane
    (``token_request_lane``), each as soon as the one before is answered, while this thread stores
    that answer and takes the next lease, early enough to cover the wait. One that meets a
    temporary failure goes on alone as a single refresh task, with the same backoff; one that
    raises anything else is logged and the others still run."""
    inline = self.request.is_eager
    outcomes: Counter[str] = Counter()
    with token_request_lane() as lane:
        in_flight: _InFlight | None = None
        for integration_id in integration_ids:
            behind = lease_ttl(in_flight.request.provider) if in_flight else timedelta(0)
            prepare = partial(refresh_prepare, integration_id=integration_id, queued_behind=behind)
            prepared = _in_batch(integration_id, prepare, inline=inline)
            queued = None
            if isinstance(prepared, TokenRequest):
                queued = _InFlight(integration_id, prepared, lane.submit(prepared.send))
            else:
                outcomes[_ended(integration_id, prepared)] += 1
            if in_flight is not None:
                outcomes[in_flight.complete(inline=inline)] += 1
            in_flight = queued
        if in_flight is not None:
            outcomes[in_flight.complete(inline=inline)] += 1
    return {"refreshed": len(integration_ids), "outcomes": dict(outcomes)}


@dataclass(frozen=True)
class _InFlight:
    """A batch's token request sent (or queued on the lane), its answer not yet stored."""

    integration_id: int
    request: TokenRequest
    answer: Future

    def complete(self, *, inline: bool) -> str:
        def store() -> RefreshResult:
            return refresh_complete(self.request, self.answer.result())

        return _ended(self.integration_id, _in_batch(self.integration_id, store, inline=inline))


def _in_batch(
    integration_id: int, step: Callable[[], TokenRequest | RefreshResult], *, inline: bool
) -> TokenRequest | str:
    """One step of one integration's refresh in a batch: the request to send, or how it ended."""
    try:
        prepared = step()
    except Integration.DoesNotExist:
        return "gone"
    except TemporarilyUnavailable as exc:
        return _hand_on(integration_id, exc, inline=inline)
    except Exception:
        logger.exception("integrations.refresh.failed", extra={"integration_id": integration_id})
        return "error"
    return prepared if isinstance(prepared, TokenRequest) else str(prepared.outcome)


def _hand_on(integration_id: int, exc: TemporarilyUnavailable, *, inline: bool) -> str:
    """A temporary failure in a batch: retried alone, by the single task, after its backoff."""
    if inline:  # no broker to hold a countdown: the next sweep is the retry
        integration_note_retry(integration_id=integration_id, in_seconds=_next_sweep_in(exc))
        return "unavailable"
    countdown = retry_countdown(retries=0, retry_after=exc.retry_after)
    integration_note_retry(integration_id=integration_id, in_seconds=countdown)
    slot = refresh_slot(integration_id)
    slot.extend(countdown)
    dispatch.send_after_commit(
        dispatch.REFRESH, target=integration_id, countdown=countdown, on_failure=slot.release
    )
    logger.info(
        "integrations.refresh.retry_scheduled",
        extra={"integration_id": integration_id, "countdown": round(countdown, 1)},
    )
    return _HANDED_ON


def _ended(integration_id: int, outcome: str) -> str:
    """An integration's refresh in a batch is over: its slot is free, unless the single task it
    was handed on to holds it now."""
    if outcome != _HANDED_ON:
        refresh_slot(integration_id).release()
    return outcome


_HANDED_ON = "retry_scheduled"


def _next_sweep_in(exc: TemporarilyUnavailable) -> float:
    """Without a retry of its own, the integration's next try is the next sweep while it is due
    (no sooner than the server's Retry-After)."""
    return max(conf.sweep_interval_seconds(), exc.retry_after or 0.0)


@retried_task(
    dispatch.VERIFY_ROTATION,
    holds=verify_slot,
    retry_event="integrations.rotation.retry_scheduled",
)
def verify_rotation_task(self, integration_id: int) -> dict:
    outcome = self.attempt(integration_verify_rotation, integration_id)
    if outcome is None:
        return self.unavailable(integration_id)
    return {"integration_id": integration_id, "outcome": str(outcome)}


@shared_task(name="integrations.health_check_sweep", ignore_result=True)
def health_check_sweep_task() -> dict:
    return {"enqueued": health_check_sweep()}


@retried_task(
    dispatch.HEALTH_CHECK,
    retry_event="integrations.health.retry_scheduled",
)
def health_check_integration_task(self, integration_id: int) -> dict:
    # A temporary failure comes only from the refresh a 401 forced.
    result = self.attempt(integration_health_check, integration_id)
    if result is None:
        return self.unavailable(integration_id)
    return {"integration_id": integration_id, "outcome": str(result.outcome)}


@shared_task(name="integrations.authorization_attempts_cleanup", ignore_result=True)
def authorization_attempts_cleanup_task() -> dict:
    """Support's housekeeping, on beat's clock with the keeper's."""
    return {"deleted": authorization_attempts_cleanup()}
