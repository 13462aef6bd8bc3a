"""A real Celery worker process consumes the keeper's tasks from Redis, end to end.

The worker runs ``celery -A config worker`` against the pytest test database (PostgreSQL), the test
Redis, and the local ID Magalu stand-in served by pytest-django's live server.
"""

import pytest

from integrations.models import IntegrationEvent
from integrations.services.keeper_queue import refresh_slot
from integrations.services.keeper_store import store
from integrations.services.sweep import refresh_sweep
from marketplaces.sandbox import faults
from tests.integrations.conftest import SELLER_TENANTS, sandbox_account, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

Kind = IntegrationEvent.Kind


@pytest.fixture
def worker(start_worker):
    return start_worker()


def _kinds(integration) -> list[str]:
    return list(integration.events.order_by("id").values_list("kind", flat=True))


def test_the_worker_refreshes_a_due_integration_end_to_end(worker, seller):
    account = sandbox_account(seller=seller, tenant=SELLER_TENANTS[0])
    pk = account.integration.pk

    assert refresh_sweep() == 1  # beat's sweep, run here: one message to Redis

    wait_for(lambda: Kind.REFRESHED in _kinds(account.integration), timeout=30)
    integration = account.reload()
    assert integration.is_active
    assert integration.refresh_token != account.refresh_token
    assert faults.token_requests("refresh_token", outcome="ok") == 1
    wait_for(lambda: store.get(refresh_slot(pk).key) is None, timeout=10)  # slot freed
    log = worker.log()
    # Handed over in a batch (of one, here), the ids and a count of outcomes in the log.
    assert "integrations.refresh_batch" in log and f"'args': '[[{pk}]]'" in log
    assert "'outcomes': {'refreshed': 1}" in log
    for secret in (account.access_token, account.refresh_token, integration.refresh_token):
        assert secret not in log


def test_the_worker_retries_a_rate_limited_refresh_after_retry_after(worker, seller):
    account = sandbox_account(seller=seller, tenant=SELLER_TENANTS[1])
    faults.arm(faults.REFRESH, faults.RATE_LIMITED, retry_after=1)

    assert refresh_sweep() == 1

    wait_for(lambda: Kind.REFRESHED in _kinds(account.integration), timeout=30)
    integration = account.reload()
    assert _kinds(integration) == [Kind.REFRESH_FAILED, Kind.REFRESHED]
    assert integration.is_active and integration.last_error == ""
    assert faults.token_requests("refresh_token", outcome="fault:rate_limited") == 1
    assert faults.token_requests("refresh_token", outcome="ok") == 1
    failed, refreshed = integration.events.order_by("id").values_list("created_at", flat=True)
    assert (refreshed - failed).total_seconds() >= 1  # Retry-After honoured
    log = worker.log()
    # The batch handed the integration on to a single refresh task, which refreshed it.
    assert "integrations.refresh.retry_scheduled" in log
    assert f"'integration_id': {account.integration.pk}, 'outcome': 'refreshed'" in log
    assert account.refresh_token not in log


def test_a_batch_through_the_worker_sends_each_token_once_beside_the_stores(worker, seller):
    """Three due integrations in one task: their requests on the batch's own thread (the worker's
    settings have the overlap on), the first rate-limited and handed on."""
    accounts = [sandbox_account(seller=seller, tenant=tenant) for tenant in SELLER_TENANTS[:3]]
    faults.arm(faults.REFRESH, faults.RATE_LIMITED, retry_after=1)

    assert refresh_sweep() == 3

    for account in accounts:
        wait_for(lambda account=account: Kind.REFRESHED in _kinds(account.integration), timeout=30)
    assert faults.token_requests("refresh_token", outcome="fault:rate_limited") == 1
    assert faults.token_requests("refresh_token", outcome="ok") == 3
    integrations = [account.reload() for account in accounts]
    assert all(i.is_active and i.refresh_lease_id is None for i in integrations)
    assert sorted(len(_kinds(i)) for i in integrations) == [1, 1, 2]  # one failed, then refreshed
    log = worker.log()
    assert "'outcomes': {" in log and "'retry_scheduled': 1" in log and "'refreshed': 2" in log


def test_the_worker_refreshes_a_mercado_livre_integration(worker, seller):
    account = sandbox_account(seller=seller, tenant="123456003", marketplace="mercadolivre")

    assert refresh_sweep() == 1

    wait_for(lambda: Kind.REFRESHED in _kinds(account.integration), timeout=30)
    integration = account.reload()
    assert integration.is_active and integration.access_token.startswith("APP_USR-")
    assert faults.token_requests("refresh_token", outcome="ok", marketplace="mercadolivre") == 1
