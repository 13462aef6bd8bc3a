"""The push app's periodic tasks: the drain, the safety net of the drain each notification
queues (a task lost with the broker, a postponed fetch come due, a killed worker's lease), and
the missed feeds, read back (the safety net of push itself)."""

from integrations import conf as keeper_conf
from integrations.push import conf


def beat_schedule() -> dict:
    queue = {"queue": keeper_conf.task_queue()} if keeper_conf.task_queue() else {}
    drain_every = conf.drain_interval_seconds()
    feeds_every = conf.missed_feeds_interval().total_seconds()
    # A run no worker picked up within its interval is stale: the next one replaces it.
    return {
        "push.drain": {
            "task": conf.DRAIN_TASK,
            "schedule": drain_every,
            "options": {"expires": drain_every, **queue},
        },
        "push.missed-feeds": {
            "task": conf.MISSED_FEEDS_TASK,
            "schedule": feeds_every,
            "options": {"expires": feeds_every, **queue},
        },
    }
