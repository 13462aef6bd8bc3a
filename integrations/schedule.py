"""The keeper's and the orders import's periodic tasks: part of the one beat schedule
(``CELERY_BEAT_SCHEDULES``) that Celery beat and the in-process keeper both run."""

from celery.schedules import crontab

from integrations import conf
from integrations.orders import conf as orders_conf


def beat_schedule() -> dict:
    """The token keeper's clock, the orders import and support's cleanup; times in UTC.

    A static schedule, documented for support in the README; run exactly one beat.
    """

    queue = {"queue": conf.task_queue()} if conf.task_queue() else {}
    sweep_every = conf.sweep_interval_seconds()
    health_every = conf.health_check_interval_seconds()
    orders_every = orders_conf.import_interval_seconds()
    return {
        "orders.import-sweep": {
            "task": orders_conf.IMPORT_SWEEP_TASK,
            "schedule": orders_every,
            "options": {"expires": orders_every, **queue},
        },
        "integrations.refresh-sweep": {
            "task": "integrations.refresh_sweep",
            "schedule": sweep_every,
            # A sweep no worker picked up within its interval is stale: the next one replaces it.
            "options": {"expires": sweep_every, **queue},
        },
        "integrations.health-check-sweep": {
            "task": "integrations.health_check_sweep",
            "schedule": health_every,
            "options": {"expires": health_every, **queue},
        },
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
