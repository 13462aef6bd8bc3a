"""Fixtures for the token keeper's tests: integrations holding real stand-in tokens, tasks."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta
from unittest import mock

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from hub.celery import app as celery_app
from integrations.models import Integration
from integrations.services.keeper_store import KEY_PREFIX, store
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


def sandbox_account(
    *, seller=None, tenant: str = SELLER_TENANTS[0], expires_in: timedelta = timedelta(minutes=5)
) -> SandboxAccount:
    from integrations.sandbox.magalu import issuer

    body = issuer.issue_tokens(tenant_uuid=tenant, scopes=list(settings.MAGALU_SCOPES))
    extra = {"seller": seller} if seller is not None else {}
    integration = IntegrationFactory(
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
