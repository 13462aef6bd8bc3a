"""The Celery app. The beat schedule lives here, in one place."""

import os
import sys

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun

from hub.observe import heartbeat  # noqa: F401  (beat's heartbeat: a signal receiver)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
if sys.argv and os.path.basename(sys.argv[0]) == "celery":
    from hub.config_errors import install_excepthook

    install_excepthook()  # a missing setting: one line, not a traceback

app = Celery("hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule() -> dict:
    """The token keeper's clock, the orders import and support's cleanup; times in UTC.

    A static schedule, documented for support in the README; run exactly one beat.
    """
    from api import conf as api_conf
    from integrations import conf
    from integrations.orders import conf as orders_conf

    queue = {"queue": conf.task_queue()} if conf.task_queue() else {}
    sweep_every = conf.sweep_interval_seconds()
    health_every = conf.health_check_interval_seconds()
    orders_every = orders_conf.import_interval_seconds()
    webhooks_every = api_conf.get("WEBHOOKS_SWEEP_INTERVAL_SECONDS")
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
        # Outgoing webhooks: what a lost task or a lapsed lease left, and retries come due.
        "api.webhooks-sweep": {
            "task": "api.webhooks_sweep",
            "schedule": webhooks_every,
            "options": {"expires": webhooks_every, **queue},
        },
        "integrations.authorization-attempts-cleanup": {
            "task": "integrations.authorization_attempts_cleanup",
            "schedule": crontab(hour=4, minute=17),
        },
    }


@app.on_after_configure.connect
def _configure(sender: Celery, source, **kwargs) -> None:
    # Read once Django's settings are loaded (hub/__init__ imports this module before them).
    source.beat_schedule = beat_schedule()
    # Celery's Django fixup closes every database connection before and after each task unless
    # told to reuse them: a new PostgreSQL backend per token refresh. Hand the decision back to
    # Django's own rule (CONN_MAX_AGE, checked around each task below, as around each request).
    if source.get("CELERY_DB_REUSE_MAX") is None:
        source["CELERY_DB_REUSE_MAX"] = 2**62


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(sender=None, **kwargs) -> None:
    """Drops a database connection that is broken or older than CONN_MAX_AGE (0: every task)."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return  # run inline, inside the caller's own transaction: not ours to close
    from django.db import close_old_connections

    close_old_connections()
