"""The Celery app. The beat schedule is the apps' (``CELERY_BEAT_SCHEDULES``, named in settings,
the one schedule of beat and of the in-process keeper); the configuration imports no app."""

import importlib
import os
import sys

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if sys.argv and os.path.basename(sys.argv[0]) == "celery":
    from config.config_errors import check_settings, install_excepthook

    install_excepthook()  # a missing setting: one line, not a traceback
    if code := check_settings():  # the apps' own checks too, before Celery starts its work
        raise SystemExit(code)

app = Celery("hub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _configure(sender: Celery, source, **kwargs) -> None:
    # Read once Django's settings are loaded (config/__init__ imports this module before them).
    from django.conf import settings
    from django.utils.module_loading import import_string

    source.beat_schedule = {}
    for factory in settings.CELERY_BEAT_SCHEDULES:
        source.beat_schedule.update(import_string(factory)())
    # Beat's heartbeat (readiness) and other receivers: each app connects its own.
    for module in settings.CELERY_SIGNAL_MODULES:
        importlib.import_module(module)
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
