"""The push safety net's part of the one beat schedule: the missed feeds, read back."""

from integrations import conf as keeper_conf
from integrations.push import audit_conf as conf


def beat_schedule() -> dict:
    every = conf.missed_feeds_interval().total_seconds()
    queue = {"queue": keeper_conf.task_queue()} if keeper_conf.task_queue() else {}
    return {
        "push.missed-feeds": {
            "task": conf.MISSED_FEEDS_TASK,
            "schedule": every,
            "options": {"expires": every, **queue},
        }
    }
