"""The API's periodic task: the outgoing webhooks' sweep (what a lost task or a lapsed lease
left, and retries come due)."""

from api import conf


def beat_schedule() -> dict:
    every = float(conf.get("WEBHOOKS_SWEEP_INTERVAL_SECONDS"))
    return {
        "api.webhooks-sweep": {
            "task": "api.webhooks_sweep",
            "schedule": every,
            "options": {"expires": every},
        }
    }
