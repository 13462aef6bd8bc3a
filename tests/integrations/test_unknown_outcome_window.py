"""When the late-arrival window applies, and from when it counts.

A request whose answer never came (a timeout, a reset, a gateway's 502/504 in the server's place)
may still land at the marketplace: against a server that revokes a reused refresh token the retry
waits out ``INTEGRATIONS_ROTATION_WINDOW_MINUTES``, counted from when that request left. A server
that answered itself (a 500) has finished with the request: nothing can land later, the retry
follows the usual backoff, and an ``invalid_grant`` then is a lost rotation (the 500 may have come
after the server committed the rotation, RFC 9700 §4.14.2).

In-process against the stand-in (rotation with reuse detection); ``responses`` answers for a
token endpoint elsewhere where the stand-in has no such fault.
"""

from datetime import timedelta

import pytest
import responses
import time_machine
from django.core import mail
from django.utils import timezone

from integrations.models import Integration, IntegrationEvent
from integrations.services.refresh import RefreshOutcome, integration_refresh, refresh_prepare
from integrations.services.token_request import TokenRequest
from marketplaces import TemporarilyUnavailable, get_provider
from marketplaces.sandbox import faults
from marketplaces.sandbox.models import SandboxGrantFamily

Kind = IntegrationEvent.Kind
pytestmark = pytest.mark.usefixtures("sandbox_http")

WINDOW = timedelta(minutes=5)  # the default INTEGRATIONS_ROTATION_WINDOW_MINUTES
ELSEWHERE = "https://id.magalu.example/oauth/token"


def _kinds(integration: Integration) -> list[str]:
    return list(integration.events.order_by("id").values_list("kind", flat=True))


def _refresh(pk: int):
    return integration_refresh(integration_id=pk)


# --- Which answers wait the window out ------------------------------------------------------------

# (status, body, whether the request may still land: the retry waits the window out)
SERVER_ANSWERS = [
    pytest.param(500, {"error": "server_error"}, False, id="500"),
    pytest.param(500, None, False, id="500-html"),
    pytest.param(503, None, False, id="503-bare"),
    pytest.param(502, None, True, id="502-gateway"),
    pytest.param(504, None, True, id="504-gateway-timeout"),
]


@pytest.mark.parametrize(("status", "body", "may_land"), SERVER_ANSWERS)
def test_only_an_answer_from_a_gateway_waits_out_the_window(
    due_account, settings, sent_tasks, status, body, may_land
):
    settings.MAGALU_TOKEN_URL, sandbox_token_url = (
        ELSEWHERE,
        get_provider("magalu").config.token_url,
    )
    pk = due_account.integration.pk
    with responses.RequestsMock() as http:
        if body is None:
            http.add(responses.POST, ELSEWHERE, status=status, body="<html/>")
        else:
            http.add(responses.POST, ELSEWHERE, status=status, json=body)
        with pytest.raises(TemporarilyUnavailable) as raised:
            _refresh(pk)

    assert raised.value.status == status
    assert raised.value.outcome_unknown is may_land
    assert raised.value.answered_in_doubt is not may_land
    integration = due_account.reload()
    assert (integration.rotation_unknown_since is not None) is may_land
    assert (integration.rotation_doubt_since is not None) is not may_land
    if may_land:
        assert raised.value.retry_after == pytest.approx(WINDOW.total_seconds(), abs=2)
    else:
        assert raised.value.retry_after is None  # the usual backoff

    settings.MAGALU_TOKEN_URL = sandbox_token_url  # the server is back, the token never consumed
    if may_land:
        with pytest.raises(TemporarilyUnavailable):
            _refresh(pk)  # still within the window: nothing sent
        assert faults.token_requests("refresh_token") == 0
    else:
        assert _refresh(pk).refreshed
        assert faults.token_requests("refresh_token", outcome="ok") == 1
        assert sent_tasks == []  # the retry itself showed the token worked: nothing to verify


def test_a_read_timeout_waits_out_the_window_and_a_500_does_not(due_account):
    pk = due_account.integration.pk
    faults.arm(faults.REFRESH, faults.TIMEOUT, delay_ms=0)
    with pytest.raises(TemporarilyUnavailable) as timed_out:
        _refresh(pk)
    Integration.objects.filter(pk=pk).update(rotation_unknown_since=None)  # as if it never was

    faults.arm(faults.REFRESH, faults.SERVER_ERROR)
    with pytest.raises(TemporarilyUnavailable) as failed:
        _refresh(pk)

    assert (timed_out.value.status, timed_out.value.outcome_unknown) == (None, True)
    assert timed_out.value.retry_after == pytest.approx(WINDOW.total_seconds(), abs=2)
    assert (failed.value.status, failed.value.outcome_unknown) == (500, False)
    assert failed.value.retry_after is None
    assert _refresh(pk).refreshed


def test_a_500_after_the_server_rotated_is_a_lost_rotation_found_by_the_retry(
    due_account, django_capture_on_commit_callbacks
):
    """The server committed the rotation, then failed answering: the retry, with the old token,
    is refused and revokes the grant (reuse detection). Not the seller's revocation: a lost one,
    known at once instead of after the window."""
    faults.arm(faults.REFRESH, faults.CRASH)
    pk = due_account.integration.pk

    with pytest.raises(TemporarilyUnavailable) as raised:
        _refresh(pk)
    assert (raised.value.status, raised.value.retry_after) == (500, None)
    integration = due_account.reload()
    assert integration.rotation_doubt_since is not None  # the evidence, in the database
    assert "pode ter renovado o token antes de falhar" in integration.events.get().details

    with django_capture_on_commit_callbacks(execute=True):
        result = _refresh(pk)  # the task's retry, after its backoff (no window)

    assert result.outcome == RefreshOutcome.LOST
    integration = due_account.reload()
    assert integration.status == Integration.Status.EXPIRED
    assert integration.expiry_cause == Integration.ExpiryCause.LOST_ROTATION
    assert _kinds(integration) == [Kind.REFRESH_FAILED, Kind.REFRESH_LOST]
    assert integration.last_error.startswith("Renovação perdida")
    assert "revogada" not in integration.last_error
    assert integration.rotation_doubt_since is None
    assert faults.token_requests("refresh_token", outcome="invalid_grant") == 1
    assert SandboxGrantFamily.objects.get().revoked_at is not None
    assert len(mail.outbox) == 1 and "Renovação perdida" in mail.outbox[0].body


def test_at_once_a_500_after_the_server_rotated_is_saved_within_the_grace_period(
    due_account, settings
):
    settings.MAGALU_UNKNOWN_OUTCOME_RETRY = "at_once"
    faults.set_reuse_grace(30)
    faults.arm(faults.REFRESH, faults.CRASH)

    assert _refresh(due_account.integration.pk).refreshed  # the same token again, at once
    assert faults.token_requests("refresh_token") == 2
    integration = due_account.reload()
    assert integration.rotation_doubt_since is None and integration.rotation_verify_after is None


# --- From when the window counts ------------------------------------------------------------------


def _sent_and_abandoned(pk: int, **prepare) -> TokenRequest:
    """A refresh whose request left and was processed (the server rotated), its worker killed
    before the answer was stored: the lease stays behind, nothing else is recorded."""
    request = refresh_prepare(integration_id=pk, **prepare)
    assert isinstance(request, TokenRequest)
    faults.arm(faults.REFRESH, faults.LOST_RESPONSE, delay_ms=0)
    request.send()
    return request


def test_a_lease_found_expired_counts_the_window_from_when_its_request_left(
    due_account, django_capture_on_commit_callbacks
):
    pk = due_account.integration.pk
    with time_machine.travel(timezone.now(), tick=False) as clock:
        left_at = timezone.now()
        request = _sent_and_abandoned(pk)
        assert due_account.reload().refresh_sent_by == left_at
        lease_ends = request.lease.expires_at
        assert lease_ends > left_at + timedelta(seconds=30)  # the timeouts and the margin

        clock.shift(timedelta(minutes=2))  # the next sweep finds the lease expired
        with pytest.raises(TemporarilyUnavailable) as raised:
            _refresh(pk)
        integration = due_account.reload()
        assert integration.rotation_unknown_since == left_at  # not the lease's end, nor now
        assert integration.refresh_lease_id is None and integration.refresh_sent_by is None
        remaining = (left_at + WINDOW - timezone.now()).total_seconds()
        assert raised.value.retry_after == pytest.approx(remaining, abs=1)
        assert integration.events.get().details.startswith("Uma renovação anterior")

        clock.move_to(left_at + WINDOW - timedelta(seconds=5))
        with pytest.raises(TemporarilyUnavailable):
            _refresh(pk)  # the original may still land: nothing sent
        assert faults.token_requests("refresh_token") == 1

        clock.move_to(left_at + WINDOW + timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert _refresh(pk).outcome == RefreshOutcome.LOST
    assert due_account.reload().last_error.startswith("Renovação perdida")
    assert due_account.integration.last_error_at < lease_ends + WINDOW


def test_a_lease_taken_ahead_in_a_batch_counts_from_the_latest_its_request_left(due_account):
    """A batch takes the next lease while the request before it is in flight: its own request
    leaves when that one is answered, at the latest when the wait the lease covers is over."""
    pk = due_account.integration.pk
    behind = timedelta(seconds=40)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        taken_at = timezone.now()
        request = _sent_and_abandoned(pk, queued_behind=behind)
        assert due_account.reload().refresh_sent_by == taken_at + behind
        assert request.lease.expires_at > taken_at + behind + timedelta(seconds=30)

        clock.move_to(request.lease.expires_at + timedelta(seconds=1))
        with pytest.raises(TemporarilyUnavailable):
            _refresh(pk)

    assert due_account.reload().rotation_unknown_since == taken_at + behind
