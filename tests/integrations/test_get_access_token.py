"""get_access_token: what the order import (and any API caller) uses to talk to the marketplace."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import Integration
from integrations.services.access import (
    IntegrationExpired,
    access_token_renewed,
    get_access_token,
)
from integrations.services.refresh import integration_refresh
from marketplaces import TemporarilyUnavailable
from marketplaces.sandbox import faults
from tests.factories import IntegrationFactory
from tests.integrations.conftest import SELLER_TENANTS, run_in_threads, sandbox_account


def test_a_token_with_time_left_is_returned_as_is_without_queries(
    sandbox_http, seller, django_assert_num_queries
):
    account = sandbox_account(seller=seller, expires_in=timedelta(minutes=30))

    with django_assert_num_queries(0):
        token = get_access_token(account.integration)

    assert token == account.access_token
    assert faults.token_requests() == 0


def test_a_token_about_to_expire_is_refreshed_first(sandbox_http, seller):
    account = sandbox_account(seller=seller, expires_in=timedelta(seconds=30))
    integration = account.integration

    token = get_access_token(integration)

    assert token not in ("", account.access_token)
    assert faults.token_requests("refresh_token", outcome="ok") == 1
    # The caller's instance now holds what was stored.
    assert integration.access_token == token
    assert integration.access_token_expires_at > timezone.now() + timedelta(hours=1)
    assert Integration.objects.get(pk=integration.pk).access_token == token


def test_a_stale_instance_gets_the_token_another_worker_already_stored(sandbox_http, seller):
    account = sandbox_account(seller=seller, expires_in=timedelta(seconds=30))
    stale = Integration.objects.get(pk=account.integration.pk)
    integration_refresh(integration_id=stale.pk)  # elsewhere, meanwhile

    token = get_access_token(stale)

    assert token == Integration.objects.get(pk=stale.pk).access_token
    assert faults.token_requests("refresh_token") == 1


@pytest.mark.django_db
def test_token_expirado_raises_a_clear_error():
    integration = IntegrationFactory(expired=True, account_name="Loja Exemplo Ltda")

    with pytest.raises(IntegrationExpired) as raised:
        get_access_token(integration)

    assert str(raised.value) == (
        "A integração “Loja Exemplo Ltda” (Magazine Luiza) está com Token Expirado: a empresa "
        "precisa reativá-la em Configurações → Integrações → Marketplaces."
    )
    assert raised.value.integration_id == integration.pk


def test_a_dead_grant_found_on_the_way_raises_integration_expired(sandbox_http, seller):
    account = sandbox_account(seller=seller, expires_in=timedelta(seconds=30))
    faults.arm(faults.REFRESH, faults.INVALID_GRANT)

    with pytest.raises(IntegrationExpired):
        get_access_token(account.integration)

    assert account.integration.status == Integration.Status.EXPIRED
    assert account.reload().status == Integration.Status.EXPIRED


def test_an_outage_still_serves_a_token_that_has_not_run_out(sandbox_http, seller):
    account = sandbox_account(seller=seller, expires_in=timedelta(seconds=30))
    faults.arm(faults.REFRESH, faults.UNAVAILABLE)

    assert get_access_token(account.integration) == account.access_token
    assert account.reload().is_active


def test_an_outage_with_a_token_that_ran_out_raises_temporarily_unavailable(sandbox_http, seller):
    account = sandbox_account(seller=seller, expires_in=-timedelta(seconds=30))
    faults.arm(faults.REFRESH, faults.UNAVAILABLE)

    with pytest.raises(TemporarilyUnavailable):
        get_access_token(account.integration)
    assert account.reload().is_active


def test_an_unreadable_access_token_is_replaced_by_a_forced_refresh(sandbox_http, seller):
    account = sandbox_account(seller=seller, expires_in=timedelta(hours=2))
    integration = account.integration
    Integration.objects.filter(pk=integration.pk).update(access_token_ciphertext="gAAAAAbroken")
    integration.refresh_from_db()

    token = get_access_token(integration)

    assert token not in ("", account.access_token)
    assert faults.token_requests("refresh_token", outcome="ok") == 1


@pytest.mark.postgres
def test_callers_racing_for_an_expiring_token_share_one_refresh(
    transactional_db, live_sandbox, settings, seller
):
    settings.MAGALU_READ_TIMEOUT = 5.0
    account = sandbox_account(seller=seller, tenant=SELLER_TENANTS[2], expires_in=timedelta(0))
    faults.set_latency(200)

    tokens = run_in_threads(
        3, lambda: get_access_token(Integration.objects.get(pk=account.integration.pk))
    )

    assert all(isinstance(token, str) for token in tokens), tokens
    assert len(set(tokens)) == 1
    assert tokens[0] != account.access_token
    assert faults.token_requests("refresh_token") == 1


def test_a_refused_token_is_renewed_though_its_clock_says_valid(sandbox_http, seller):
    account = sandbox_account(seller=seller, expires_in=timedelta(minutes=30))

    token = access_token_renewed(account.integration, account.access_token)

    assert token not in ("", account.access_token)
    assert faults.token_requests("refresh_token", outcome="ok") == 1
    assert Integration.objects.get(pk=account.integration.pk).access_token == token


def test_a_refused_token_is_never_handed_back_when_another_renewal_stored_nothing(
    sandbox_http, seller
):
    # Another worker holds the lease (renewing the same refused token) and then gives up.
    account = sandbox_account(seller=seller, expires_in=timedelta(minutes=30))
    Integration.objects.filter(pk=account.integration.pk).update(
        refresh_lease_id=uuid.uuid4(),
        refresh_lease_expires_at=timezone.now() + timedelta(milliseconds=300),
    )

    with pytest.raises(TemporarilyUnavailable):
        access_token_renewed(account.integration, account.access_token)
    assert faults.token_requests() == 0
