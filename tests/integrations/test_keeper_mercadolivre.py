"""The token keeper on Mercado Livre: its own refresh window (6 h tokens), its own rate limit,
the same lease and unknown-outcome rules, health checks through /users/me."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import Integration, IntegrationEvent
from integrations.services.health import HealthOutcome, integration_health_check
from integrations.services.refresh import RefreshOutcome, integration_refresh
from integrations.services.sweep import refresh_sweep
from marketplaces import TemporarilyUnavailable
from marketplaces.sandbox import faults
from marketplaces.sandbox.models import SandboxGrantFamily
from tests.factories import IntegrationFactory
from tests.integrations.conftest import sandbox_account

Kind = IntegrationEvent.Kind
pytestmark = pytest.mark.usefixtures("sandbox_http")


@pytest.fixture
def ml_account(seller, seller_user):
    return sandbox_account(seller=seller, tenant="123456001", marketplace="mercadolivre")


def test_a_refresh_rotates_and_keeps_six_hours(ml_account):
    result = integration_refresh(integration_id=ml_account.integration.pk)

    assert result.refreshed
    integration = ml_account.reload()
    assert integration.access_token.startswith("APP_USR-")
    assert integration.refresh_token.startswith("TG-")
    assert integration.refresh_token != ml_account.refresh_token
    left = integration.access_token_expires_at - timezone.now()
    assert timedelta(hours=5, minutes=59) < left <= timedelta(hours=6)
    assert faults.token_requests("refresh_token", outcome="ok", marketplace="mercadolivre") == 1


def test_each_marketplace_has_its_own_refresh_window(
    sent_tasks, django_capture_on_commit_callbacks
):
    """An eighth of the lifetime is left: 15 min of Magalu's 2 h, 45 min of Mercado Livre's 6 h."""
    in_30_min = timezone.now() + timedelta(minutes=30)
    magalu = IntegrationFactory(access_token_expires_at=in_30_min)
    mercadolivre = IntegrationFactory(marketplace="mercadolivre", access_token_expires_at=in_30_min)

    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_sweep() == 1

    assert [task.args for task in sent_tasks] == [(mercadolivre.pk,)]
    assert integration_refresh(integration_id=magalu.pk).outcome == RefreshOutcome.NOT_DUE


def test_the_sweep_spaces_a_marketplace_s_refreshes_by_its_rate_limit(
    settings, sent_tasks, django_capture_on_commit_callbacks
):
    settings.INTEGRATIONS_SWEEP_JITTER_SECONDS = 0
    settings.MERCADOLIVRE_REFRESH_RATE_LIMIT = 4.0  # at most 4 a second
    soon = timezone.now() + timedelta(minutes=5)
    for _ in range(3):
        IntegrationFactory(marketplace="mercadolivre", access_token_expires_at=soon)
        IntegrationFactory(access_token_expires_at=soon)  # Magalu: no limit

    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_sweep() == 6

    singles = [task for task in sent_tasks if task.name == "integrations.refresh_integration"]
    [batch] = [task for task in sent_tasks if task.name == "integrations.refresh_batch"]
    # Mercado Livre's one at a time, spaced to its limit; Magalu's (no limit) in one batch.
    assert {Integration.objects.get(pk=task.args[0]).marketplace for task in singles} == {
        "mercadolivre"
    }
    assert sorted(task.options.get("countdown") or 0.0 for task in singles) == [0.0, 0.25, 0.5]
    assert set(
        Integration.objects.filter(pk__in=batch.args[0]).values_list("marketplace", flat=True)
    ) == {"magalu"}
    assert len(batch.args[0]) == 3 and not batch.options.get("countdown")


def test_a_reused_refresh_token_revokes_the_grant_and_expires_it(ml_account):
    integration_refresh(integration_id=ml_account.integration.pk)
    Integration.objects.filter(pk=ml_account.integration.pk).update(
        access_token_expires_at=timezone.now()
    )
    # The old token again (a copy restored from a backup, say): the server revokes the family.
    integration = ml_account.reload()
    integration.set_tokens(access_token="APP_USR-old", refresh_token=ml_account.refresh_token)
    integration.save()

    assert integration_refresh(integration_id=integration.pk).outcome == RefreshOutcome.EXPIRED
    assert SandboxGrantFamily.objects.get(marketplace="mercadolivre").revoked_at is not None
    assert (
        "Mercado Livre recusou a renovação do token (invalid_grant)"
        in ml_account.reload().last_error
    )


def test_an_answer_lost_after_rotating_is_a_lost_rotation(ml_account, settings):
    settings.INTEGRATIONS_ROTATION_WINDOW_MINUTES = 0
    faults.arm(faults.REFRESH, faults.LOST_RESPONSE, marketplace="mercadolivre", delay_ms=0)

    with pytest.raises(TemporarilyUnavailable):
        integration_refresh(integration_id=ml_account.integration.pk)
    result = integration_refresh(integration_id=ml_account.integration.pk)

    assert result.outcome == RefreshOutcome.LOST
    assert ml_account.reload().last_error.startswith("Renovação perdida: Mercado Livre")


def test_a_fault_armed_for_one_stand_in_leaves_the_other_alone(ml_account, seller):
    magalu = sandbox_account(seller=seller)
    faults.arm(faults.REFRESH, faults.INVALID_GRANT, marketplace="magalu")

    assert integration_refresh(integration_id=ml_account.integration.pk).refreshed
    assert (
        integration_refresh(integration_id=magalu.integration.pk).outcome == RefreshOutcome.EXPIRED
    )


def test_the_health_check_goes_through_users_me(ml_account, sandbox_http):
    result = integration_health_check(integration_id=ml_account.integration.pk)

    assert result.outcome == HealthOutcome.HEALTHY
    assert ("GET", "/sandbox/mercadolivre-api/users/me", 200) in [
        (call.method, call.path, call.status) for call in sandbox_http.calls
    ]


def test_a_revoked_grant_found_by_the_health_check_expires_it(ml_account):
    SandboxGrantFamily.objects.filter(marketplace="mercadolivre").update(revoked_at=timezone.now())

    result = integration_health_check(integration_id=ml_account.integration.pk)

    assert (result.outcome, result.refresh) == (HealthOutcome.EXPIRED, RefreshOutcome.EXPIRED)
    assert ml_account.reload().status == Integration.Status.EXPIRED


def test_an_operator_grant_is_reported_not_expired(seller):
    account = sandbox_account(seller=seller, tenant="123456001", marketplace="mercadolivre")
    from marketplaces.mercadolivre.standin import issuer

    operator = issuer.issue_tokens(user_id=123456009)
    integration = account.reload()
    integration.set_tokens(access_token=operator["access_token"], refresh_token="TG-x")
    integration.save()

    result = integration_health_check(integration_id=integration.pk)

    assert result.outcome == HealthOutcome.UNEXPECTED
    assert account.reload().is_active  # a 403 is not a dead grant: operators look
