"""integration_refresh: the one refresh, against the local ID Magalu stand-in."""

import uuid
from datetime import timedelta
from unittest import mock

import pytest
import responses
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrations.models import Integration, IntegrationEvent
from integrations.services.lease import lease_ttl
from integrations.services.refresh import RefreshOutcome, integration_refresh
from marketplaces import GrantRevoked, TemporarilyUnavailable, get_provider
from marketplaces.sandbox import faults
from tests.factories import IntegrationFactory
from tests.integrations.conftest import SELLER_TENANTS, run_in_threads, sandbox_account

Kind = IntegrationEvent.Kind


def test_due_integration_gets_a_new_pair_saved_encrypted_with_an_event(sandbox_http, due_account):
    renewed_before = due_account.integration.last_renewed_at
    old_access, old_refresh = due_account.access_token, due_account.refresh_token

    result = integration_refresh(integration_id=due_account.integration.pk)

    assert result.outcome == RefreshOutcome.REFRESHED
    integration = due_account.reload()
    assert integration.status == Integration.Status.ACTIVE
    assert integration.access_token not in ("", old_access)
    assert integration.refresh_token not in ("", old_refresh)
    # Stored encrypted only: no plaintext in the row.
    assert integration.refresh_token not in integration.refresh_token_ciphertext
    assert integration.access_token_expires_at > timezone.now() + timedelta(hours=1, minutes=59)
    assert integration.scopes == "open:order-order:read open:portfolio:read"
    assert integration.last_renewed_at > renewed_before
    assert (integration.last_error, integration.last_error_at) == ("", None)
    event = integration.events.get()
    assert event.kind == Kind.REFRESHED
    assert event.details.startswith("novo token válido até ")
    assert faults.token_requests("refresh_token", outcome="ok") == 1


def test_the_new_refresh_token_is_the_one_kept(sandbox_http, due_account):
    """Magalu rotates: the next refresh must use the newest token (shared/MAGALU.md)."""
    integration_refresh(integration_id=due_account.integration.pk)
    second = integration_refresh(integration_id=due_account.integration.pk, force=True)

    assert second.outcome == RefreshOutcome.REFRESHED
    assert faults.token_requests("refresh_token", outcome="ok") == 2
    assert faults.token_requests(outcome="invalid_grant") == 0


def test_a_second_worker_afterwards_sees_it_is_not_due_and_does_nothing(sandbox_http, due_account):
    integration_refresh(integration_id=due_account.integration.pk)

    again = integration_refresh(integration_id=due_account.integration.pk)

    assert again.outcome == RefreshOutcome.NOT_DUE
    assert faults.token_requests() == 1
    assert due_account.reload().events.count() == 1


@pytest.mark.django_db
def test_not_due_and_not_active_integrations_are_left_alone(sandbox_http):
    fresh = IntegrationFactory(access_token_expires_at=timezone.now() + timedelta(hours=1))
    expired = IntegrationFactory(expired=True)

    assert integration_refresh(integration_id=fresh.pk).outcome == RefreshOutcome.NOT_DUE
    assert integration_refresh(integration_id=expired.pk).outcome == RefreshOutcome.NOT_ACTIVE
    assert integration_refresh(integration_id=expired.pk, force=True).outcome == "not_active"
    assert faults.token_requests() == 0
    assert not IntegrationEvent.objects.exists()


@pytest.mark.django_db
def test_force_refreshes_a_token_that_is_not_due(sandbox_http, seller):
    account = sandbox_account(seller=seller, expires_in=timedelta(hours=2))

    assert integration_refresh(integration_id=account.integration.pk).outcome == "not_due"
    assert integration_refresh(integration_id=account.integration.pk, force=True).refreshed


@pytest.mark.django_db(transaction=True)
@responses.activate
def test_two_statements_on_the_happy_path_and_no_transaction_held_across_the_call(settings):
    integration = IntegrationFactory(access_token_expires_at=timezone.now() + timedelta(minutes=1))
    responses.post(
        get_provider("magalu").config.token_url,
        json={
            "access_token": "new-access",
            "refresh_token": "new-refresh",
            "expires_in": "7200",
            "token_type": "Bearer",
            "scope": "open:order-order:read",
        },
    )

    with CaptureQueriesContext(connection) as queries:
        result = integration_refresh(integration_id=integration.pk)

    assert result.refreshed
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    # Read the row and take the lease in one UPDATE ... RETURNING (committed before the token
    # request: no transaction, no row lock held across the network), then the compare-and-swap
    # store with its event.
    if connection.vendor == "postgresql":  # the UPDATE and the event's INSERT as one statement
        assert statements == ["UPDATE", "WITH"]
        assert "RETURNING" in queries.captured_queries[0]["sql"]
    else:  # SQLite (development): the compare-and-swap and the event, together
        assert statements == ["SELECT", "UPDATE", "BEGIN", "UPDATE", "INSERT", "COMMIT"]
    integration.refresh_from_db()
    assert (integration.access_token, integration.refresh_token) == ("new-access", "new-refresh")
    (event,) = IntegrationEvent.objects.filter(integration=integration)
    assert (event.kind, event.actor) == (IntegrationEvent.Kind.REFRESHED, None)
    assert event.details.startswith("novo token válido até ")


# --- The one-statement lease takes only the plain case; every other goes the careful way --------

_SOON = timedelta(minutes=1)


def _held_by_another(integration):
    integration.refresh_lease_id = uuid.uuid4()
    integration.refresh_lease_expires_at = timezone.now() + timedelta(minutes=1)


def _unknown_outcome_pending(integration):
    integration.rotation_unknown_since = timezone.now() - timedelta(seconds=5)


def _no_refresh_token(integration):
    integration.refresh_token_ciphertext = ""


def _unreadable(integration):
    integration.refresh_token_ciphertext = "gAAAAAbroken"


def _renewed_just_now(integration):
    integration.last_renewed_at = timezone.now() + timedelta(seconds=5)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arrange", "expected"),
    [
        (_held_by_another, RefreshOutcome.BUSY),
        (_unknown_outcome_pending, TemporarilyUnavailable),
        (_no_refresh_token, RefreshOutcome.EXPIRED),
        (_unreadable, RefreshOutcome.UNREADABLE),
        (_renewed_just_now, RefreshOutcome.ALREADY_REFRESHED),
    ],
    ids=lambda value: getattr(value, "__name__", str(value)).strip("_"),
)
def test_a_row_off_the_plain_case_keeps_its_lease_as_it_was_and_sends_nothing(
    sandbox_http, arrange, expected
):
    integration = IntegrationFactory(access_token_expires_at=timezone.now() + _SOON)
    arrange(integration)
    integration.save()

    if isinstance(expected, type):
        with pytest.raises(expected):
            integration_refresh(integration_id=integration.pk)
    else:
        assert integration_refresh(integration_id=integration.pk).outcome == expected

    stored = Integration.objects.get(pk=integration.pk)
    assert (stored.refresh_lease_id, stored.refresh_lease_expires_at) == (
        integration.refresh_lease_id,
        integration.refresh_lease_expires_at,
    )
    assert faults.token_requests() == 0


@pytest.mark.django_db
def test_a_provider_missing_its_credentials_is_misconfiguration_and_takes_no_lease(
    sandbox_http, settings
):
    integration = IntegrationFactory(access_token_expires_at=timezone.now() + _SOON)
    settings.MAGALU_CLIENT_SECRET = ""  # a deployment that left it out

    assert integration_refresh(integration_id=integration.pk).outcome == "misconfigured"
    stored = Integration.objects.get(pk=integration.pk)
    assert stored.refresh_lease_id is None and stored.is_active
    assert faults.token_requests() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("marketplace", ["magalu", "mercadolivre"])
def test_the_lease_lasts_its_marketplaces_own_time(sandbox_http, marketplace, settings):
    """Each marketplace's lease covers its own timeouts (read off the row as the token request
    leaves: the lease is committed before it)."""
    settings.MERCADOLIVRE_READ_TIMEOUT = 41.0
    integration = IntegrationFactory(
        marketplace=marketplace, access_token_expires_at=timezone.now() + _SOON
    )
    seen = {}

    def refresh(self, *, refresh_token, account_id=""):
        seen.update(
            Integration.objects.filter(pk=integration.pk)
            .values("refresh_lease_id", "refresh_lease_expires_at")
            .get()
        )
        raise GrantRevoked("invalid_grant", status=400)

    started = timezone.now()
    with mock.patch.object(type(get_provider(marketplace)), "refresh", refresh):
        integration_refresh(integration_id=integration.pk)

    ttl = lease_ttl(get_provider(marketplace))
    assert seen["refresh_lease_id"] is not None
    assert started + ttl <= seen["refresh_lease_expires_at"] <= timezone.now() + ttl


# --- Concurrency: real row locks, real sockets ---------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("force", [False, True], ids=["sweep", "forced"])
@pytest.mark.parametrize(
    ("marketplace", "account_id"),
    [("magalu", SELLER_TENANTS[1]), ("mercadolivre", "123456002")],
)
def test_concurrent_refreshes_of_one_integration_make_exactly_one_token_request(
    transactional_db, live_sandbox, settings, seller, force, marketplace, account_id
):
    settings.MAGALU_READ_TIMEOUT = settings.MERCADOLIVRE_READ_TIMEOUT = 5.0
    account = sandbox_account(
        seller=seller, tenant=account_id, marketplace=marketplace, expires_in=timedelta(minutes=5)
    )
    faults.set_latency(300)  # the first refresh holds the lock while the others queue up on it

    results = run_in_threads(
        4, lambda: integration_refresh(integration_id=account.integration.pk, force=force)
    )

    outcomes = sorted(str(getattr(r, "outcome", r)) for r in results)
    assert outcomes.count("refreshed") == 1, outcomes
    assert set(outcomes) - {"refreshed"} <= {"already_refreshed", "not_due", "busy"}, outcomes
    assert faults.token_requests("refresh_token") == 1
    assert faults.token_requests(outcome="invalid_grant") == 0
    integration = account.reload()
    assert integration.is_active
    assert list(integration.events.values_list("kind", flat=True)) == [Kind.REFRESHED]
