"""A sent refresh ends done, refused or unknown. After an unknown outcome the marketplace may have
rotated the token: the hub keeps that evidence in the database, retries as the provider's policy
says, verifies the pair it stores afterwards, and calls a dead token a lost rotation.

In-process against the stand-in, whose refresh tokens rotate with reuse detection (reusing a
rotated one revokes the whole grant, RFC 9700 §4.14.2).
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from integrations.models import Integration, IntegrationEvent
from integrations.services.refresh import RefreshOutcome, integration_refresh
from integrations.services.rotation import VerifyOutcome, integration_verify_rotation
from marketplaces import TemporarilyUnavailable
from marketplaces.magalu.provider import MagaluProvider
from marketplaces.sandbox import faults
from marketplaces.sandbox.models import SandboxGrantFamily
from tests.integrations.conftest import clear_keeper_keys

Kind = IntegrationEvent.Kind
pytestmark = pytest.mark.usefixtures("sandbox_http")


def _kinds(integration: Integration) -> list[str]:
    return list(integration.events.order_by("id").values_list("kind", flat=True))


def _refresh(pk: int):
    return integration_refresh(integration_id=pk)


@pytest.fixture
def at_once(settings):
    """The provider's policy switched to "retry at once" (a server with a reuse grace period)."""
    settings.MAGALU_UNKNOWN_OUTCOME_RETRY = "at_once"


def _past_the_window(integration: Integration) -> None:
    """Moves the unknown outcome (and any verification) back beyond the late-arrival window."""
    long_ago = timezone.now() - timedelta(hours=1)
    Integration.objects.filter(pk=integration.pk, rotation_unknown_since__isnull=False).update(
        rotation_unknown_since=long_ago
    )
    Integration.objects.filter(pk=integration.pk, rotation_verify_after__isnull=False).update(
        rotation_verify_after=long_ago
    )


# --- Evidence, in the database ------------------------------------------------------------------


def test_the_lease_is_committed_before_the_request_and_released_after(due_account, monkeypatch):
    seen = {}
    real_refresh = MagaluProvider.refresh

    def spy(provider, *, refresh_token, account_id=""):
        seen["lease"] = Integration.objects.values_list("refresh_lease_id", flat=True).get(
            pk=due_account.integration.pk
        )
        return real_refresh(provider, refresh_token=refresh_token)

    monkeypatch.setattr(MagaluProvider, "refresh", spy)

    assert _refresh(due_account.integration.pk).refreshed

    assert seen["lease"] is not None  # visible to everyone before the token request left
    integration = due_account.reload()
    assert integration.refresh_lease_id is None and integration.refresh_lease_expires_at is None


def test_a_refresh_in_flight_elsewhere_is_not_sent_twice(due_account):
    lease_ends = timezone.now() + timedelta(seconds=30)
    Integration.objects.filter(pk=due_account.integration.pk).update(
        refresh_lease_id="00000000-0000-4000-8000-000000000001",
        refresh_lease_expires_at=lease_ends,
    )

    assert _refresh(due_account.integration.pk).outcome == RefreshOutcome.BUSY
    assert faults.token_requests() == 0


def test_an_answer_lost_after_the_server_rotated_is_a_lost_rotation_not_a_revocation(
    due_account, seller_user, django_capture_on_commit_callbacks
):
    faults.arm(faults.REFRESH, faults.LOST_RESPONSE, delay_ms=0)  # rotated, then no answer
    pk = due_account.integration.pk

    with pytest.raises(TemporarilyUnavailable) as raised:
        _refresh(pk)
    assert raised.value.outcome_unknown
    # Magalu's policy: no retry while the original may still land.
    assert raised.value.retry_after == pytest.approx(300, abs=2)
    assert due_account.reload().rotation_unknown_since is not None
    clear_keeper_keys()  # whatever Redis held is gone: the evidence is in the database

    with pytest.raises(TemporarilyUnavailable):
        _refresh(pk)  # still within the window: nothing sent
    assert faults.token_requests("refresh_token") == 1

    _past_the_window(due_account.integration)
    with django_capture_on_commit_callbacks(execute=True):
        result = _refresh(pk)

    assert result.outcome == RefreshOutcome.LOST
    integration = due_account.reload()
    assert integration.status == Integration.Status.EXPIRED
    assert _kinds(integration) == [Kind.REFRESH_FAILED, Kind.REFRESH_LOST]
    assert integration.last_error.startswith("Renovação perdida: Magazine Luiza pode ter renovado")
    assert "não foi causado por você" in integration.last_error
    assert "revogada" not in integration.last_error
    assert len(mail.outbox) == 1 and "Renovação perdida" in mail.outbox[0].body


def test_a_gateway_502_after_the_server_rotated_is_also_a_lost_rotation(due_account, settings):
    settings.INTEGRATIONS_ROTATION_WINDOW_MINUTES = 0
    faults.arm(faults.REFRESH, faults.DROP)
    pk = due_account.integration.pk

    with pytest.raises(TemporarilyUnavailable) as raised:
        _refresh(pk)
    assert (raised.value.status, raised.value.outcome_unknown) == (502, True)

    assert _refresh(pk).outcome == RefreshOutcome.LOST
    assert _kinds(due_account.reload()) == [Kind.REFRESH_FAILED, Kind.REFRESH_LOST]


def test_a_worker_that_died_mid_request_leaves_a_lease_that_means_unknown(due_account, settings):
    """The holder's lease outlives it in the database: found expired, the request's outcome is
    unknown (here the server had rotated), whatever happened to Redis meanwhile."""
    settings.INTEGRATIONS_ROTATION_WINDOW_MINUTES = 0
    pk = due_account.integration.pk
    faults.arm(faults.REFRESH, faults.LOST_RESPONSE, delay_ms=0)
    with pytest.raises(TemporarilyUnavailable):
        _refresh(pk)
    # Stands for a worker killed after sending: the lease was never released, nothing recorded.
    Integration.objects.filter(pk=pk).update(
        refresh_lease_id="00000000-0000-4000-8000-000000000002",
        refresh_lease_expires_at=timezone.now() - timedelta(seconds=1),
        rotation_unknown_since=None,
    )
    IntegrationEvent.objects.filter(integration_id=pk).delete()
    clear_keeper_keys()

    assert _refresh(pk).outcome == RefreshOutcome.LOST
    integration = due_account.reload()
    assert _kinds(integration) == [Kind.REFRESH_FAILED, Kind.REFRESH_LOST]
    assert integration.events.first().details.startswith("Renovação perdida")


def test_a_timeout_before_the_server_acted_ends_renewed_and_verified(
    due_account, settings, sent_tasks, django_capture_on_commit_callbacks
):
    settings.INTEGRATIONS_ROTATION_WINDOW_MINUTES = 0
    faults.arm(faults.REFRESH, faults.TIMEOUT, delay_ms=0)  # refused before any work
    pk = due_account.integration.pk
    with pytest.raises(TemporarilyUnavailable):
        _refresh(pk)

    with django_capture_on_commit_callbacks(execute=True):
        assert _refresh(pk).refreshed
    integration = due_account.reload()
    assert integration.rotation_unknown_since is None
    assert integration.rotation_verify_after is not None
    assert "será conferido" in integration.events.get(kind=Kind.REFRESHED).details
    assert [(task.name, task.args) for task in sent_tasks] == [
        ("integrations.verify_rotation", (pk,))
    ]

    assert integration_verify_rotation(integration_id=pk) == VerifyOutcome.CONFIRMED
    integration = due_account.reload()
    assert integration.is_active and integration.rotation_verify_after is None
    assert _kinds(integration)[-1] == Kind.ROTATION_CONFIRMED


def test_a_definite_refusal_before_any_work_leaves_no_doubt(due_account):
    faults.arm(faults.REFRESH, faults.UNAVAILABLE)  # 503 temporarily_unavailable: not processed

    with pytest.raises(TemporarilyUnavailable) as raised:
        _refresh(due_account.integration.pk)

    assert raised.value.outcome_unknown is False
    assert due_account.reload().rotation_unknown_since is None
    assert _refresh(due_account.integration.pk).refreshed  # no window to wait out


# --- The "retry at once" policy, against servers with and without a grace period ---------------


def test_at_once_with_a_grace_period_saves_the_grant_and_the_check_confirms_it(
    due_account, at_once, sent_tasks
):
    faults.set_reuse_grace(30)
    faults.arm(faults.REFRESH, faults.LOST_RESPONSE, delay_ms=0)
    pk = due_account.integration.pk

    assert _refresh(pk).refreshed  # the second request, at once, reused the token within grace
    assert faults.token_requests("refresh_token") == 2
    _past_the_window(due_account.integration)

    assert integration_verify_rotation(integration_id=pk) == VerifyOutcome.CONFIRMED
    assert due_account.reload().is_active


def test_at_once_against_a_server_that_revokes_on_reuse_is_a_lost_rotation_at_once(
    due_account, at_once
):
    faults.arm(faults.REFRESH, faults.LOST_RESPONSE, delay_ms=0)

    assert _refresh(due_account.integration.pk).outcome == RefreshOutcome.LOST
    assert SandboxGrantFamily.objects.get().revoked_at is not None


def test_a_late_original_that_revoked_the_grant_is_caught_by_the_verification(
    due_account, at_once, sent_tasks, django_capture_on_commit_callbacks
):
    """Retry at once succeeded, then the original landed and the server revoked the family: the
    stored token is dead, and the verification says so before any health check would."""
    faults.set_reuse_grace(30)
    faults.arm(faults.REFRESH, faults.LOST_RESPONSE, delay_ms=0)
    pk = due_account.integration.pk
    assert _refresh(pk).refreshed
    SandboxGrantFamily.objects.update(revoked_at=timezone.now())  # the late original's doing

    assert integration_verify_rotation(integration_id=pk) == VerifyOutcome.NOT_YET
    _past_the_window(due_account.integration)
    with django_capture_on_commit_callbacks(execute=True):
        assert integration_verify_rotation(integration_id=pk) == VerifyOutcome.LOST

    integration = due_account.reload()
    assert integration.status == Integration.Status.EXPIRED
    assert _kinds(integration)[-1] == Kind.REFRESH_LOST
    assert integration.last_error.startswith("Renovação perdida")
    assert len(mail.outbox) == 1


def test_invalid_grant_while_a_verification_is_pending_is_a_lost_rotation(
    due_account, at_once, sent_tasks
):
    faults.set_reuse_grace(30)
    faults.arm(faults.REFRESH, faults.LOST_RESPONSE, delay_ms=0)
    pk = due_account.integration.pk
    assert _refresh(pk).refreshed
    faults.arm(faults.REFRESH, faults.INVALID_GRANT)

    assert integration_refresh(integration_id=pk, force=True).outcome == RefreshOutcome.LOST


def test_a_plain_invalid_grant_is_still_a_revocation(due_account):
    faults.arm(faults.REFRESH, faults.INVALID_GRANT)

    assert _refresh(due_account.integration.pk).outcome == RefreshOutcome.EXPIRED
    assert "revogada ou expirou" in due_account.reload().last_error


def test_an_unknown_policy_value_stops_the_start(settings):
    from marketplaces import get_provider

    settings.MAGALU_UNKNOWN_OUTCOME_RETRY = "sometimes"

    with pytest.raises(ValueError, match="sometimes"):
        get_provider("magalu")
