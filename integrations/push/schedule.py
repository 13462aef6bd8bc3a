"""The push intake's periodic task: the drain, the safety net of the drain each notification
queues (a task lost with the broker, a postponed fetch come due, a killed worker's lease)."""

from integrations import conf as keeper_conf
from integrations.push import conf


def beat_schedule() -> dict:
    every = conf.drain_interval_seconds()
    queue = {"queue": keeper_conf.task_queue()} if keeper_conf.task_queue() else {}
    return {
        "push.drain": {
            "task": conf.DRAIN_TASK,
            "schedule": every,
            # A drain no worker picked up within its interval is stale: the next one replaces it.
            "options": {"expires": every, **queue},
        }
    }
