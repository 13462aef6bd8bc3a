"""Queueing the token keeper's tasks: at most one of each kind per integration at a time."""

from functools import partial

from integrations import dispatch
from integrations.services.keeper_store import Slot

REFRESH = "refresh"
VERIFY = "verify"


def refresh_slot(integration_id: int) -> Slot:
    return Slot(REFRESH, integration_id)


def verify_slot(integration_id: int) -> Slot:
    return Slot(VERIFY, integration_id)


def integration_enqueue_refresh(
    *, integration_id: int, force: bool = False, countdown: float | None = None
) -> bool:
    """Queues one refresh task after commit; False when one is already queued or running.

    The slot is released by the task when it ends (kept across its retries); its TTL frees it
    should a worker vanish.
    """
    slot = refresh_slot(integration_id)
    if not slot.take(countdown=countdown or 0.0):
        return False
    dispatch.send_after_commit(
        dispatch.REFRESH,
        target=integration_id,
        kwargs={"force": True} if force else {},
        countdown=countdown,
        on_failure=slot.release,
    )
    return True


def integrations_enqueue_refresh_batch(
    *, integration_ids: list[int], countdown: float | None = None
) -> int:
    """Queues one task refreshing these integrations one after another, after commit; those
    already queued or running are left out. Returns how many were queued."""
    slots = [refresh_slot(integration_id) for integration_id in integration_ids]
    held = [slot for slot in slots if slot.take(countdown=countdown or 0.0)]
    chosen = [slot.integration_id for slot in held]
    if not chosen:
        return 0
    dispatch.send_after_commit(
        dispatch.REFRESH_BATCH,
        target=chosen,
        countdown=countdown,
        on_failure=partial(_release, held),
    )
    return len(chosen)


def _release(slots: list[Slot]) -> None:
    for slot in slots:
        slot.release()


def integration_enqueue_verification(*, integration_id: int, countdown: float | None) -> bool:
    """Queues the check of a pair stored after an unknown outcome, once its window has passed."""
    countdown = max(0.0, countdown or 0.0)
    slot = verify_slot(integration_id)
    if not slot.take(countdown=countdown):
        return False
    dispatch.send_after_commit(
        dispatch.VERIFY_ROTATION,
        target=integration_id,
        countdown=countdown,
        on_failure=slot.release,
    )
    return True


def integration_enqueue_health_check(*, integration_id: int, countdown: float | None) -> None:
    dispatch.send_after_commit(dispatch.HEALTH_CHECK, target=integration_id, countdown=countdown)
