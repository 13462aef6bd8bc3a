"""Readiness: can the deployment do its work? PostgreSQL, Redis, beat's clock and a worker.

Liveness (``/healthz``) only says this process answers; readiness is for monitoring and for the
operator at 3 a.m.: each check names what failed. Without ``REDIS_URL`` (development: tasks run
inline, the keeper in-process) the Redis, beat and worker checks are skipped.
"""

from django.conf import settings
from django.db import connection

from integrations import conf
from observe.heartbeat import beat_heartbeat_age
from observe.redis_client import redis_client

OK = "ok"
SKIPPED = "skipped"
# control.ping waits this long for the first worker's answer.
WORKER_PING_TIMEOUT_SECONDS = 1.0


def readiness_checks() -> dict[str, str]:
    """Each check's result: "ok", "skipped" or a short reason (never a secret or a URL)."""
    checks = {"database": _database()}
    client = redis_client()
    if client is None:
        checks |= {"redis": SKIPPED, "beat": SKIPPED, "worker": SKIPPED}
        return checks
    checks["redis"] = _redis(client)
    if checks["redis"] != OK:
        checks |= {"beat": "unknown: Redis is down", "worker": "unknown: Redis is down"}
        return checks
    checks["beat"] = _beat()
    checks["worker"] = _worker()
    return checks


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return f"unreachable ({type(exc).__name__})"
    return OK


def _redis(client) -> str:
    try:
        client.ping()
    except Exception as exc:
        return f"unreachable ({type(exc).__name__})"
    return OK


def _beat() -> str:
    limit = 2 * conf.sweep_interval_seconds()
    try:
        age = beat_heartbeat_age()
    except Exception as exc:
        return f"unknown ({type(exc).__name__})"
    if age is None:
        return "no heartbeat: beat has not published the refresh sweep"
    if age > limit:
        return f"stale: last sweep published {age:.0f} s ago (limit {limit:.0f} s)"
    return OK


def _worker() -> str:
    from celery import current_app as app

    try:
        answers = app.control.ping(timeout=_ping_timeout())
    except Exception as exc:
        return f"unknown ({type(exc).__name__})"
    return OK if answers else "no worker answered a ping"


def _ping_timeout() -> float:
    return float(getattr(settings, "READINESS_WORKER_PING_TIMEOUT", WORKER_PING_TIMEOUT_SECONDS))
