"""The stand-ins' part of the one beat schedule (``CELERY_BEAT_SCHEDULES``, added by the settings
only with ``MARKETPLACE_SANDBOX``): Celery beat and the in-process keeper of ``make run`` both
run it."""

from marketplaces.sandbox.push_conf import interval_seconds
from marketplaces.sandbox.tasks import PUSH_SWEEP_TASK


def beat_schedule() -> dict:
    every = interval_seconds()
    return {
        "sandbox.push-sweep": {
            "task": PUSH_SWEEP_TASK,
            "schedule": every,
            # A sweep nobody ran within its interval is stale: the next one sends the same.
            "options": {"expires": every},
        }
    }
