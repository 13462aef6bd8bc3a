"""Support's one write on notifications: "Reprocessar" puts failed ones back in the queue."""

import logging

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction

from integrations.push.models import Notification

logger = logging.getLogger(__name__)

State = Notification.State
# What a person can send through again: a fetch that kept failing, an account not matched then
# (connected since, say). Everything else either worked or cannot work by trying again.
REPROCESSABLE = (State.FAILED, State.UNKNOWN_ACCOUNT)


def notifications_reprocess(*, notification_ids: list[int], user) -> int:
    """Sets the reprocessable ones among ``notification_ids`` back to pending, with fresh
    attempts, and records who did it and what each was (Django's admin log); returns how many."""
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update()
            .filter(pk__in=notification_ids, state__in=REPROCESSABLE)
            .order_by("pk")
        )
        if not rows:
            return 0
        for row in rows:
            LogEntry.objects.log_actions(
                user.pk,
                [row],
                CHANGE,
                change_message=(
                    f"Reprocessar: estava “{row.get_state_display()}”"
                    + (f" ({row.error})" if row.error else "")
                    + f" após {row.attempts} tentativa(s)."
                )[:500],
                single_object=True,
            )
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            state=State.PENDING, claimed_until=None, attempts=0, processed_at=None, error=""
        )
    logger.info("push.notifications.reprocessed", extra={"count": len(rows), "user_id": user.pk})
    return len(rows)
