"""The keeper's and the orders import's periodic tasks: part of the one beat schedule
(``CELERY_BEAT_SCHEDULES``) that Celery beat and the in-process keeper both run."""

from celery.schedules import crontab

from integrations import conf
from integrations.orders import conf as orders_conf


def periodic(task: str, every: float) -> dict:
    """A beat entry that queues ``task`` every ``every`` seconds on the hub's queue. A run no
    worker picked up within its interval is stale: the next one replaces it."""
    queue = {"queue": conf.task_queue()} if conf.task_queue() else {}
    return {"task": task, "schedule": every, "options": {"expires": every, **queue}}


def beat_schedule() -> dict:
    """The token keeper's clock, the orders import and support's cleanup; times in UTC.

    A static schedule, documented for support in the README; run exactly one beat.
    """
    return {
        "orders.import-sweep": periodic(
            orders_conf.IMPORT_SWEEP_TASK, orders_conf.import_interval_seconds()
        ),
        "integrations.refresh-sweep": periodic(
            "integrations.refresh_sweep", conf.sweep_interval_seconds()
        ),
        "integrations.health-check-sweep": periodic(
            "integrations.health_check_sweep", conf.health_check_interval_seconds()
        ),
        # Once a day, 08:07 in São Paulo: authorizations that end within their warning window.
        "notices.authorization-ending": {
            "task": "notices.authorization_ending_sweep",
            "schedule": crontab(hour=11, minute=7),
        },
        "integrations.authorization-attempts-cleanup": {
            "task": "integrations.authorization_attempts_cleanup",
            "schedule": crontab(hour=4, minute=17),
        },
    }
