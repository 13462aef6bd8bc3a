"""A real Celery worker process consumes the keeper's tasks from Redis, end to end.

The worker runs ``celery -A hub worker`` against the pytest test database (PostgreSQL), the test
Redis, and the local ID Magalu stand-in served by pytest-django's live server.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from hub.celery import app as celery_app
from integrations.models import IntegrationEvent
from integrations.sandbox import faults
from integrations.services.keeper_queue import refresh_slot
from integrations.services.keeper_store import store
from integrations.services.sweep import refresh_sweep
from tests.integrations.conftest import SELLER_TENANTS, sandbox_account

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[2]
Kind = IntegrationEvent.Kind


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}{port}/{db['NAME']}"


@pytest.fixture
def worker(transactional_db, live_server, settings, tmp_path):
    """A worker process on a queue of its own; yields a function returning its log so far."""
    queue = f"keeper-test-{uuid.uuid4().hex[:8]}"
    settings.INTEGRATIONS_TASK_QUEUE = queue
    settings.INTEGRATIONS_SWEEP_JITTER_SECONDS = 0
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.integrations.worker_settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "MARKETPLACE_SANDBOX_BASE_URL": live_server.url,
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "hub",
        "worker",
        "--queues",
        queue,
        "--pool",
        "solo",
        "--loglevel",
        "INFO",
        "--hostname",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    with log_path.open("w") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )

    def log() -> str:
        return log_path.read_text()

    try:
        _wait_for(lambda: " ready." in log() or process.poll() is not None, timeout=60)
        assert process.poll() is None, f"the worker did not start:\n{log()}"
        yield log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with celery_app.connection_for_write() as conn:
            client = conn.default_channel.client
            client.delete(queue, *client.scan_iter(match=f"_kombu.*{queue}"))


def _wait_for(condition, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.1)


def _kinds(integration) -> list[str]:
    return list(integration.events.order_by("id").values_list("kind", flat=True))


def test_the_worker_refreshes_a_due_integration_end_to_end(worker, seller):
    account = sandbox_account(seller=seller, tenant=SELLER_TENANTS[0])
    pk = account.integration.pk

    assert refresh_sweep() == 1  # beat's sweep, run here: one message to Redis

    _wait_for(lambda: Kind.REFRESHED in _kinds(account.integration), timeout=30)
    integration = account.reload()
    assert integration.is_active
    assert integration.refresh_token != account.refresh_token
    assert faults.token_requests("refresh_token", outcome="ok") == 1
    _wait_for(lambda: store.get(refresh_slot(pk).key) is None, timeout=10)  # slot freed
    log = worker()
    assert "integrations.refresh_integration" in log
    assert f"'integration_id': {pk}, 'outcome': 'refreshed'" in log
    for secret in (account.access_token, account.refresh_token, integration.refresh_token):
        assert secret not in log


def test_the_worker_retries_a_rate_limited_refresh_after_retry_after(worker, seller):
    account = sandbox_account(seller=seller, tenant=SELLER_TENANTS[1])
    faults.arm(faults.REFRESH, faults.RATE_LIMITED, retry_after=1)

    assert refresh_sweep() == 1

    _wait_for(lambda: Kind.REFRESHED in _kinds(account.integration), timeout=30)
    integration = account.reload()
    assert _kinds(integration) == [Kind.REFRESH_FAILED, Kind.REFRESHED]
    assert integration.is_active and integration.last_error == ""
    assert faults.token_requests("refresh_token", outcome="fault:rate_limited") == 1
    assert faults.token_requests("refresh_token", outcome="ok") == 1
    log = worker()
    assert "integrations.refresh.retry_scheduled" in log
    assert "Retry in 1" in log  # Celery's own line: the countdown honoured Retry-After
    assert account.refresh_token not in log
