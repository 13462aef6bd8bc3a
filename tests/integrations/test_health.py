"""Early detection: one cheap API call per Ativo integration; a 401 forces a refresh."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone

from integrations import tasks
from integrations.models import Integration, IntegrationEvent
from integrations.services.health import HealthOutcome, integration_health_check
from integrations.services.sweep import health_check_sweep
from marketplaces import TemporarilyUnavailable
from marketplaces.sandbox import faults
from tests.factories import IntegrationFactory
from tests.integrations.conftest import sandbox_account

Kind = IntegrationEvent.Kind
ORDERS = "/sandbox/magalu-api/seller/v1/orders"


@pytest.fixture
def healthy_account(seller, seller_user):
    """Ativo with a real pair, the access token valid for two hours (not due)."""
    return sandbox_account(seller=seller, expires_in=timedelta(hours=2))


def _api_calls(sandbox_http) -> list[int]:
    return [call.status for call in sandbox_http.calls if call.path == ORDERS]


def test_a_healthy_token_costs_one_call_and_writes_nothing(sandbox_http, healthy_account):
    updated_at = healthy_account.integration.updated_at

    result = integration_health_check(integration_id=healthy_account.integration.pk)

    assert result.outcome == HealthOutcome.HEALTHY
    assert _api_calls(sandbox_http) == [200]
    assert faults.token_requests() == 0
    integration = healthy_account.reload()
    assert integration.updated_at == updated_at
    assert not integration.events.exists()


def test_a_401_triggers_an_immediate_refresh(sandbox_http, healthy_account):
    faults.arm(faults.API, faults.UNAUTHORIZED)

    result = integration_health_check(integration_id=healthy_account.integration.pk)

    assert (result.outcome, result.refresh) == (HealthOutcome.REFRESHED, "refreshed")
    assert _api_calls(sandbox_http) == [401]
    assert faults.token_requests("refresh_token", outcome="ok") == 1
    integration = healthy_account.reload()
    assert integration.is_active
    assert integration.access_token != healthy_account.access_token
    assert [e.kind for e in integration.events.all()] == [Kind.REFRESHED]


def test_an_access_token_the_api_no_longer_accepts_is_replaced(sandbox_http, healthy_account):
    integration = healthy_account.integration
    integration.set_tokens(access_token="not-a-jwt", refresh_token=healthy_account.refresh_token)
    integration.save()

    result = integration_health_check(integration_id=integration.pk)

    assert result.outcome == HealthOutcome.REFRESHED
    assert integration_health_check(integration_id=integration.pk).outcome == "healthy"


def test_only_a_dead_grant_after_the_401_leads_to_token_expirado(
    sandbox_http, healthy_account, django_capture_on_commit_callbacks
):
    faults.arm(faults.API, faults.UNAUTHORIZED)
    faults.arm(faults.REFRESH, faults.INVALID_GRANT)

    with django_capture_on_commit_callbacks(execute=True):
        result = integration_health_check(integration_id=healthy_account.integration.pk)

    assert (result.outcome, result.refresh) == (HealthOutcome.EXPIRED, "expired")
    integration = healthy_account.reload()
    assert integration.status == Integration.Status.EXPIRED
    assert len(mail.outbox) == 1


def test_a_401_then_an_unreachable_token_endpoint_is_retried_not_expired(
    sandbox_http, healthy_account
):
    faults.arm(faults.API, faults.UNAUTHORIZED)
    faults.arm(faults.REFRESH, faults.RATE_LIMITED, retry_after=30)
    pk = healthy_account.integration.pk
    tasks.health_check_integration_task.push_request(
        id="t",
        args=[pk],
        kwargs={},
        retries=0,
        is_eager=False,
        called_directly=False,
        delivery_info={"routing_key": "celery", "exchange": ""},
    )
    try:
        with (
            mock.patch("celery.canvas.Signature.apply_async", autospec=True) as sent,
            pytest.raises(Retry) as retry,
        ):
            tasks.health_check_integration_task.run(pk)
    finally:
        tasks.health_check_integration_task.pop_request()

    assert retry.value.when >= 30
    (signature,), _ = sent.call_args
    assert list(signature.args) == [pk]
    assert healthy_account.reload().is_active


@pytest.mark.parametrize(
    ("mode", "outcome"),
    [
        (faults.UNAVAILABLE, HealthOutcome.UNAVAILABLE),
        (faults.SERVER_ERROR, HealthOutcome.UNAVAILABLE),
        (faults.TIMEOUT, HealthOutcome.UNAVAILABLE),
        (faults.REDIRECT, HealthOutcome.UNEXPECTED),
    ],
)
def test_api_trouble_changes_nothing(sandbox_http, healthy_account, mode, outcome):
    faults.arm(faults.API, mode, delay_ms=0)

    result = integration_health_check(integration_id=healthy_account.integration.pk)

    assert result.outcome == outcome
    assert faults.token_requests() == 0
    integration = healthy_account.reload()
    assert integration.is_active and not integration.events.exists()


def test_an_account_without_seller_access_is_logged_not_expired(sandbox_http, seller, caplog):
    no_access = sandbox_account(
        seller=seller, tenant="d3b07384-d9a0-4c9b-8a7e-5f1e2b000104", expires_in=timedelta(hours=2)
    )

    result = integration_health_check(integration_id=no_access.integration.pk)

    assert result.outcome == HealthOutcome.UNEXPECTED  # 403 from the seller API
    assert no_access.reload().is_active
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == ["integrations.health.unexpected_answer"]
    assert no_access.access_token not in caplog.text


def test_a_token_that_ran_out_by_the_clock_is_refreshed_without_asking_the_api(
    sandbox_http, seller
):
    account = sandbox_account(seller=seller, expires_in=-timedelta(minutes=1))

    result = integration_health_check(integration_id=account.integration.pk)

    assert result.outcome == HealthOutcome.REFRESHED
    assert _api_calls(sandbox_http) == []


@pytest.mark.django_db
def test_token_expirado_integrations_are_not_checked(sandbox_http):
    integration = IntegrationFactory(expired=True)

    assert integration_health_check(integration_id=integration.pk).outcome == "not_active"
    assert sandbox_http.calls == []


@pytest.mark.django_db
def test_the_sweep_fans_out_one_task_per_active_integration(
    sent_tasks, settings, django_capture_on_commit_callbacks
):
    settings.INTEGRATIONS_HEALTH_CHECK_SPREAD_SECONDS = 300
    settings.INTEGRATIONS_SWEEP_BATCH_SIZE = 2
    active = [IntegrationFactory() for _ in range(3)]
    IntegrationFactory(expired=True)
    IntegrationFactory(access_token_expires_at=timezone.now() - timedelta(days=1))  # still Ativo

    with django_capture_on_commit_callbacks(execute=True):
        count = health_check_sweep()

    assert count == 4
    assert {t.name for t in sent_tasks} == {"integrations.health_check_integration"}
    assert [t.args for t in sent_tasks][:3] == [(i.pk,) for i in active]
    assert all(t.kwargs == {} for t in sent_tasks)
    assert all(0 <= t.options["countdown"] < 300 for t in sent_tasks)


def test_the_task_returns_ids_and_outcome_only(sandbox_http, healthy_account):
    pk = healthy_account.integration.pk

    result = tasks.health_check_integration_task.apply(args=[pk]).get()

    assert result == {"integration_id": pk, "outcome": "healthy"}


def test_inline_the_task_does_not_retry_at_once(sandbox_http, healthy_account, eager_tasks):
    faults.arm(faults.API, faults.UNAUTHORIZED, times=2)
    faults.arm(faults.REFRESH, faults.UNAVAILABLE, times=2)
    pk = healthy_account.integration.pk

    result = tasks.health_check_integration_task.apply(args=[pk]).get()

    assert result == {"integration_id": pk, "outcome": "unavailable"}
    assert faults.token_requests("refresh_token") == 1
    with pytest.raises(TemporarilyUnavailable):
        integration_health_check(integration_id=pk)  # the service itself raises, for the retry
