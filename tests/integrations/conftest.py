"""Fixtures for the token keeper's tests: integrations holding real stand-in tokens, tasks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
import redis
from django.core.cache import cache
from django.db import connection, connections
from django.utils import timezone

from config.celery import app as celery_app
from integrations.models import Integration
from integrations.services.keeper_store import KEY_PREFIX, store
from marketplaces import get_provider
from tests.factories import IntegrationFactory
from tests.sandbox_http import sandbox_http  # noqa: F401 (a fixture)

# The stand-in's Pessoas Jurídicas with seller access: one integration each at most.
SELLER_TENANTS = (
    "d3b07384-d9a0-4c9b-8a7e-5f1e2b000101",
    "d3b07384-d9a0-4c9b-8a7e-5f1e2b000102",
    "d3b07384-d9a0-4c9b-8a7e-5f1e2b000103",
    "d3b07384-d9a0-4c9b-8a7e-5f1e2b000105",
)
TOKEN_PATH = "/sandbox/idmagalu/oauth/token"


def clear_keeper_keys() -> None:
    """Drops the keeper's dedup slots and in-flight markers (and nothing else)."""
    client = store._redis()
    if client is None:
        cache.clear()  # LocMem: this process's own
        return
    try:
        keys = list(client.scan_iter(match=f"{KEY_PREFIX}*"))  # Celery's and others' keys stay
        if keys:
            client.delete(*keys)
    except redis.ConnectionError:  # REDIS_URL set but Redis down: the redis tests skip
        pass


@pytest.fixture(autouse=True)
def _keeper_cache():
    clear_keeper_keys()
    yield
    clear_keeper_keys()


@pytest.fixture
def eager_tasks():
    """Celery tasks run inline, as without Redis in development."""
    conf = celery_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@dataclass
class SentTask:
    name: str
    args: tuple
    kwargs: dict
    options: dict


@pytest.fixture
def sent_tasks():
    """Captures what the keeper hands to Celery instead of sending it."""
    from integrations import tasks

    sent: list[SentTask] = []

    def capture(task):
        def apply_async(args=None, kwargs=None, **options):
            sent.append(SentTask(task.name, tuple(args or ()), dict(kwargs or {}), options))

        return apply_async

    patches = [
        mock.patch.object(task, "apply_async", side_effect=capture(task))
        for task in (
            tasks.refresh_integration_task,
            tasks.refresh_batch_task,
            tasks.health_check_integration_task,
            tasks.verify_rotation_task,
        )
    ]
    for patch in patches:
        patch.start()
    yield sent
    for patch in patches:
        patch.stop()


@dataclass
class SandboxAccount:
    """An integration holding a real token pair the stand-in issued (and the raw pair, to check
    that it never leaks)."""

    integration: Integration
    access_token: str
    refresh_token: str

    def reload(self) -> Integration:
        self.integration.refresh_from_db()
        return self.integration


# The Mercado Livre stand-in's administrator accounts (an operator is not one).
ML_ACCOUNTS = ("123456001", "123456002", "123456003")


def sandbox_account(
    *,
    seller=None,
    tenant: str = SELLER_TENANTS[0],
    expires_in: timedelta = timedelta(minutes=5),
    marketplace: str = "magalu",
) -> SandboxAccount:
    """``tenant``: a Magalu tenant uuid, or a Mercado Livre user id with ``marketplace``."""
    if marketplace == "mercadolivre":
        from marketplaces.mercadolivre.standin import issuer as ml_issuer

        tenant = tenant if tenant in ML_ACCOUNTS else ML_ACCOUNTS[0]
        body = ml_issuer.issue_tokens(user_id=int(tenant))
    else:
        from marketplaces.magalu.standin import issuer

        body = issuer.issue_tokens(
            tenant_uuid=tenant, scopes=list(get_provider("magalu").config.scopes)
        )
    extra = {"seller": seller} if seller is not None else {}
    integration = IntegrationFactory(
        marketplace=marketplace,
        scopes=body["scope"],
        external_id=tenant,
        tokens=(body["access_token"], body["refresh_token"]),
        access_token_expires_at=timezone.now() + expires_in,
        last_renewed_at=timezone.now() - timedelta(hours=2),
        **extra,
    )
    return SandboxAccount(integration, body["access_token"], body["refresh_token"])


@pytest.fixture
def due_account(seller, seller_user) -> SandboxAccount:
    """Ativo, a real stand-in token pair, the access token expiring in 5 minutes (due); the
    seller has a user to e-mail."""
    return sandbox_account(seller=seller)


@pytest.fixture
def live_sandbox(live_server, settings):
    """The stand-in served over real sockets by pytest-django's live server (threaded)."""
    settings.MAGALU_TOKEN_URL = f"{live_server.url}{TOKEN_PATH}"
    settings.MAGALU_API_URL = f"{live_server.url}/sandbox/magalu-api"
    settings.MAGALU_TENANTS_URL = (
        f"{live_server.url}/sandbox/idmagalu/account/api/v2/whoami/tenants"
    )
    settings.MERCADOLIVRE_TOKEN_URL = f"{live_server.url}/sandbox/mercadolivre-api/oauth/token"
    settings.MERCADOLIVRE_API_URL = f"{live_server.url}/sandbox/mercadolivre-api"
    settings.MERCADOLIVRE_READ_TIMEOUT = get_provider("magalu").config.read_timeout
    return live_server


def run_in_threads(count: int, target) -> list:
    """Runs target in count threads started together; each closes its own DB connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = target()
        except Exception as exc:  # returned: the caller asserts on it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


# --- A real Celery worker process ----------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, *, timeout: float, interval: float = 0.1) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(interval)


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}{port}/{db['NAME']}"


class WorkerProcess:
    """``celery -A config worker`` on a queue of its own, against the test database and Redis."""

    def __init__(self, *, queue: str, env: dict, log_path: Path):
        self.queue, self.log_path = queue, log_path
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "--queues", queue, "--pool", "solo", "--loglevel", "INFO",
            "--hostname", f"{queue}-{uuid.uuid4().hex[:4]}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        with log_path.open("a") as log_file:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
            )
        started = log_path.read_text().count(" ready.")
        wait_for(
            lambda: self.log().count(" ready.") > started or self.process.poll() is not None,
            timeout=60,
        )
        assert self.process.poll() is None, f"the worker did not start:\n{self.log()}"

    def log(self) -> str:
        return self.log_path.read_text()

    def kill(self) -> None:
        """SIGKILL: nothing after it runs, as when a machine or a container dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def start_worker(transactional_db, live_server, settings, tmp_path):
    """Starts worker processes on one queue of their own; each call starts another (after a kill,
    say). ``env`` adds to the worker's environment."""
    queue = f"keeper-test-{uuid.uuid4().hex[:8]}"
    settings.INTEGRATIONS_TASK_QUEUE = queue
    settings.INTEGRATIONS_SWEEP_JITTER_SECONDS = 0
    workers: list[WorkerProcess] = []

    def start(**env) -> WorkerProcess:
        worker_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.integrations.worker_settings",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": os.environ["REDIS_URL"],
            "MARKETPLACE_SANDBOX_BASE_URL": live_server.url,
            # Tasks the worker queues itself (a verification after a refresh) stay on its queue.
            "INTEGRATIONS_TASK_QUEUE": queue,
            **env,
        }
        workers.append(WorkerProcess(queue=queue, env=worker_env, log_path=tmp_path / "worker.log"))
        return workers[-1]

    yield start
    for worker in workers:
        worker.stop()
    with celery_app.connection_for_write() as conn:
        client = conn.default_channel.client
        client.delete(queue, *client.scan_iter(match=f"_kombu.*{queue}"))
