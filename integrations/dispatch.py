"""Handing work to Celery tasks by name, after the caller's transaction commits.

Services queue work through here and never import ``integrations.tasks`` (which imports them):
a task is looked up in the Celery app's registry, filled when the app is ready
(``IntegrationsConfig.ready``). Run inline (no Redis in development), ``apply_async`` executes it
at once, as Celery's eager mode does.
"""

import logging
from collections.abc import Callable
from functools import partial

from celery import current_app
from django.db import transaction

from integrations import conf

logger = logging.getLogger(__name__)

REFRESH = "integrations.refresh_integration"
REFRESH_BATCH = "integrations.refresh_batch"
HEALTH_CHECK = "integrations.health_check_integration"
VERIFY_ROTATION = "integrations.verify_rotation"


def send_after_commit(
    task_name: str,
    *,
    target: int | list[int],
    kwargs: dict | None = None,
    countdown: float | None = None,
    on_failure: Callable[[], None] | None = None,
) -> None:
    """Queues ``task_name(target, **kwargs)`` once the current transaction commits; ``target`` is
    an integration's id, or a list of them for a task that takes several.

    Only ids travel: never token material (a task's arguments sit in the broker and its logs).
    """
    transaction.on_commit(
        partial(
            send_now,
            task_name,
            args=[target],
            kwargs=kwargs or {},
            countdown=countdown,
            on_failure=on_failure,
        )
    )


def send_now(
    task_name: str,
    *,
    args: list | None = None,
    kwargs: dict | None = None,
    countdown: float | None = None,
    on_failure: Callable[[], None] | None = None,
) -> None:
    """Queues ``task_name(*args, **kwargs)`` now, on the keeper's queue when one is set (for a
    caller already past its commit). A broker that cannot take it is logged and ``on_failure``
    called: never raised, the caller's work is done and a sweep tries again."""
    options: dict = {"countdown": countdown} if countdown else {}
    if queue := conf.task_queue():
        options["queue"] = queue
    try:
        current_app.tasks[task_name].apply_async(args=args or [], kwargs=kwargs or {}, **options)
    except Exception:
        # Broker down (or, run inline, an unexpected error): the next sweep tries again.
        if on_failure is not None:
            on_failure()
        logger.exception(
            "integrations.dispatch.enqueue_failed",
            extra={"task": task_name, "integration_id": args[0] if args else None},
        )
