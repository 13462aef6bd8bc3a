"""A refresh task for several integrations: each refreshed as the single task would, one's
trouble never stopping the others, a temporary failure going on alone with its backoff."""

import logging

import pytest

from integrations import tasks
from integrations.models import IntegrationEvent
from integrations.services.keeper_queue import (
    integration_enqueue_refresh,
    integrations_enqueue_refresh_batch,
)
from integrations.services.keeper_store import store
from marketplaces import TemporarilyUnavailable
from tests.integrations.conftest import SELLER_TENANTS, sandbox_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox_http")]


@pytest.fixture
def accounts(seller, seller_user):
    return [sandbox_account(seller=seller, tenant=tenant) for tenant in SELLER_TENANTS[:3]]


def _ids(accounts) -> list[int]:
    return [account.integration.pk for account in accounts]


def _slot_free(integration_id: int) -> bool:
    return integration_enqueue_refresh(integration_id=integration_id) is True


def test_every_integration_of_the_batch_is_refreshed_and_its_slot_freed(accounts, sent_tasks):
    ids = _ids(accounts)
    assert integrations_enqueue_refresh_batch(integration_ids=ids) == 3

    result = tasks.refresh_batch_task.apply(args=[ids]).get()

    assert result == {"refreshed": 3, "outcomes": {"refreshed": 3}}
    for account in accounts:
        integration = account.reload()
        assert integration.events.get().kind == IntegrationEvent.Kind.REFRESHED
        assert integration.refresh_token != account.refresh_token
    assert all(_slot_free(pk) for pk in ids)


def test_a_temporary_failure_goes_on_alone_with_its_backoff(
    accounts, sent_tasks, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.INTEGRATIONS_REFRESH_BACKOFF_BASE_SECONDS = 10
    ids = _ids(accounts)
    unlucky = ids[1]
    real = tasks.refresh_prepare

    def refresh(*, integration_id, **kwargs):
        if integration_id == unlucky:
            raise TemporarilyUnavailable("HTTP 503", retry_after=120)
        return real(integration_id=integration_id, **kwargs)

    monkeypatch.setattr(tasks, "refresh_prepare", refresh)
    integrations_enqueue_refresh_batch(integration_ids=ids)

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.refresh_batch_task(ids)  # as a worker runs it (apply() runs it inline)

    assert result["outcomes"] == {"refreshed": 2, "retry_scheduled": 1}
    [retry] = [task for task in sent_tasks if task.name == "integrations.refresh_integration"]
    assert retry.args == (unlucky,) and retry.options["countdown"] >= 120
    assert not _slot_free(unlucky)  # still queued: no second refresh of it meanwhile
    assert accounts[1].reload().refresh_retry_at is not None
    assert _slot_free(ids[0]) and _slot_free(ids[2])


def test_an_unexpected_error_is_logged_and_the_others_still_run(
    accounts, sent_tasks, monkeypatch, caplog
):
    ids = _ids(accounts)
    real = tasks.refresh_prepare

    def refresh(*, integration_id, **kwargs):
        if integration_id == ids[0]:
            raise RuntimeError("database went away")
        return real(integration_id=integration_id, **kwargs)

    monkeypatch.setattr(tasks, "refresh_prepare", refresh)
    caplog.set_level(logging.ERROR)

    result = tasks.refresh_batch_task.apply(args=[ids]).get()

    assert result["outcomes"] == {"error": 1, "refreshed": 2}
    [record] = [r for r in caplog.records if r.msg == "integrations.refresh.failed"]
    assert record.integration_id == ids[0]
    assert all(_slot_free(pk) for pk in ids)


def test_a_deleted_integration_is_skipped(accounts, sent_tasks):
    ids = _ids(accounts)
    accounts[0].integration.delete()

    result = tasks.refresh_batch_task.apply(args=[ids]).get()

    assert result["outcomes"] == {"gone": 1, "refreshed": 2}


def test_run_inline_a_temporary_failure_waits_for_the_next_sweep(
    accounts, sent_tasks, eager_tasks, monkeypatch
):
    ids = _ids(accounts)

    def refresh(*, integration_id, **kwargs):
        raise TemporarilyUnavailable("timeout")

    monkeypatch.setattr(tasks, "refresh_prepare", refresh)

    result = tasks.refresh_batch_task.apply(args=[ids]).get()

    assert result["outcomes"] == {"unavailable": 3}
    assert not [task for task in sent_tasks if task.name == "integrations.refresh_integration"]
    assert all(account.reload().refresh_retry_at is not None for account in accounts)


def test_a_redis_outage_still_queues_and_runs_the_batch(accounts, sent_tasks, monkeypatch):
    import redis

    def down(*args, **kwargs):
        raise redis.ConnectionError("redis down")

    monkeypatch.setattr(store, "add", down)
    monkeypatch.setattr(store, "delete", down)
    ids = _ids(accounts)

    assert integrations_enqueue_refresh_batch(integration_ids=ids) == 3
    assert tasks.refresh_batch_task.apply(args=[ids]).get()["outcomes"] == {"refreshed": 3}
