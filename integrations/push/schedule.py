"""The push app's periodic tasks: the drain, the safety net of the drain each notification
queues (a task lost with the broker, a postponed fetch come due, a killed worker's lease), and
the missed feeds, read back (the safety net of push itself)."""

from integrations.push import conf
from integrations.schedule import periodic


def beat_schedule() -> dict:
    return {
        "push.drain": periodic(conf.DRAIN_TASK, conf.drain_interval_seconds()),
        "push.missed-feeds": periodic(
            conf.MISSED_FEEDS_TASK, conf.missed_feeds_interval().total_seconds()
        ),
    }
