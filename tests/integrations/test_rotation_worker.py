"""Unknown refresh outcomes end to end: a real Celery worker process, the stand-in served over
real sockets with rotation and reuse detection, PostgreSQL and Redis.

The token endpoint's "slow" fault processes a request only after the client gave up (read timeout
1 s, the request is acted on at 2 s): the shape that, retried naively, rotates the token and then
has the late original revoke the whole grant (RFC 9700 §4.14.2). Its "server_error" answers a
500 before any work: the server answered, nothing can land later, so no window is waited out.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import Integration, IntegrationEvent
from integrations.services.sweep import refresh_sweep
from marketplaces.sandbox import faults
from tests.integrations.conftest import SELLER_TENANTS, clear_keeper_keys, sandbox_account, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

Kind = IntegrationEvent.Kind
WINDOW_MINUTES = "0.05"  # 3 s: how long a request whose answer never came may still land


@pytest.fixture
def window(settings):
    settings.INTEGRATIONS_ROTATION_WINDOW_MINUTES = float(WINDOW_MINUTES)


def _kinds(integration) -> list[str]:
    return list(integration.events.order_by("id").values_list("kind", flat=True))


def _ended(account) -> bool:
    integration = account.reload()
    kinds = _kinds(integration)
    return not integration.is_active or Kind.ROTATION_CONFIRMED in kinds


def test_waiting_out_the_window_turns_a_late_rotation_into_a_lost_rotation(
    start_worker, window, seller, seller_user
):
    """Magalu's policy: no retry while the original may land; the retry then finds the token
    rotated away, and the seller is told it was a lost renewal, not a revocation."""
    worker = start_worker(INTEGRATIONS_ROTATION_WINDOW_MINUTES=WINDOW_MINUTES)
    account = sandbox_account(seller=seller, tenant=SELLER_TENANTS[0])
    faults.arm(faults.REFRESH, faults.SLOW, delay_ms=2000)

    assert refresh_sweep() == 1

    wait_for(lambda: _ended(account), timeout=30)
    integration = account.reload()
    assert integration.status == Integration.Status.EXPIRED
    assert _kinds(integration) == [Kind.REFRESH_FAILED, Kind.REFRESH_LOST]
    assert integration.last_error.startswith("Renovação perdida")
    # One late original (processed, its answer lost) and one retry, refused: never a race.
    assert faults.token_requests("refresh_token", outcome="fault:slow") == 1
    assert faults.token_requests("refresh_token", outcome="invalid_grant") == 1
    assert faults.token_requests("refresh_token") == 2
    assert "integrations.refresh.lost" in worker.log()
    assert account.refresh_token not in worker.log()


def test_retrying_at_once_against_a_strict_server_is_caught_by_the_verification(
    start_worker, window, seller, seller_user
):
    """The retry wins the race, the late original then revokes the grant: the integration looks
    Ativo with a dead token for no longer than the window, then the check says so."""
    start_worker(
        INTEGRATIONS_ROTATION_WINDOW_MINUTES=WINDOW_MINUTES, MAGALU_UNKNOWN_OUTCOME_RETRY="at_once"
    )
    account = sandbox_account(seller=seller, tenant=SELLER_TENANTS[1])
    faults.arm(faults.REFRESH, faults.SLOW, delay_ms=2000)

    assert refresh_sweep() == 1

    wait_for(lambda: Kind.REFRESHED in _kinds(account.integration), timeout=30)
    wait_for(lambda: _ended(account), timeout=30)
    integration = account.reload()
    assert integration.status == Integration.Status.EXPIRED
    assert _kinds(integration) == [Kind.REFRESHED, Kind.REFRESH_LOST]
    assert integration.last_error.startswith("Renovação perdida")
    lost_at = integration.events.get(kind=Kind.REFRESH_LOST).created_at
    renewed_at = integration.events.get(kind=Kind.REFRESHED).created_at
    assert (lost_at - renewed_at).total_seconds() < 3 * 60 * float(WINDOW_MINUTES)


def test_retrying_at_once_against_a_server_with_a_grace_period_keeps_the_grant(
    start_worker, window, seller
):
    start_worker(
        INTEGRATIONS_ROTATION_WINDOW_MINUTES=WINDOW_MINUTES, MAGALU_UNKNOWN_OUTCOME_RETRY="at_once"
    )
    faults.set_reuse_grace(30)
    account = sandbox_account(seller=seller, tenant=SELLER_TENANTS[2])
    faults.arm(faults.REFRESH, faults.SLOW, delay_ms=2000)

    assert refresh_sweep() == 1

    wait_for(lambda: _ended(account), timeout=30)
    integration = account.reload()
    assert integration.is_active
    assert _kinds(integration) == [Kind.REFRESHED, Kind.ROTATION_CONFIRMED]
    assert integration.rotation_verify_after is None


def test_a_worker_killed_mid_request_and_a_redis_restart_still_end_in_a_lost_rotation(
    start_worker, window, seller, seller_user
):
    """The worker dies with its request in flight (the server acts on it later), Redis loses
    everything: the lease left in PostgreSQL is the evidence, so the next run knows the outcome
    was unknown and labels the dead token a lost rotation, never a revocation."""
    env = {"INTEGRATIONS_ROTATION_WINDOW_MINUTES": WINDOW_MINUTES}
    first = start_worker(**env)
    account = sandbox_account(seller=seller, tenant=SELLER_TENANTS[3])
    faults.arm(faults.REFRESH, faults.SLOW, delay_ms=1500)

    assert refresh_sweep() == 1
    wait_for(lambda: account.reload().refresh_lease_id is not None, timeout=30)
    first.kill()
    clear_keeper_keys()  # Redis restarted: the dedup slots are gone
    start_worker(**env)
    wait_for(lambda: faults.token_requests("refresh_token") == 1, timeout=10)  # the late original

    lease_ends = account.reload().refresh_lease_expires_at  # never released: its holder died
    wait_for(lambda: timezone.now() > lease_ends, timeout=30)
    assert refresh_sweep() == 1  # the integration is still due

    wait_for(lambda: _ended(account), timeout=30)
    integration = account.reload()
    assert integration.status == Integration.Status.EXPIRED
    assert _kinds(integration) == [Kind.REFRESH_FAILED, Kind.REFRESH_LOST]
    assert (
        integration.events.order_by("id")
        .first()
        .details.startswith("Uma renovação anterior foi interrompida")
    )
    assert integration.last_error.startswith("Renovação perdida")


def test_a_killed_worker_s_lost_rotation_is_told_within_the_window_from_when_its_request_left(
    start_worker, settings, seller, seller_user
):
    """The worker dies with its request in flight and the server rotates: the seller learns it
    once the window has passed since the request left, not a lease's length later. Redis keeps
    the killed task's "already queued" slot, which lasts the (short, here) dedup TTL."""
    window = timedelta(seconds=12)
    env = {
        "INTEGRATIONS_ROTATION_WINDOW_MINUTES": str(window.total_seconds() / 60),
        # A lease of 2 + 1 + 6 = 9 s: counted from the lease's end, the window would end 9 s late.
        "INTEGRATIONS_REFRESH_LEASE_MARGIN_SECONDS": "6",
    }
    settings.INTEGRATIONS_REFRESH_DEDUP_TTL_SECONDS = 2
    first = start_worker(**env)
    account = sandbox_account(seller=seller, tenant=SELLER_TENANTS[0])
    faults.arm(faults.REFRESH, faults.SLOW, delay_ms=1500)

    assert refresh_sweep() == 1
    wait_for(lambda: account.reload().refresh_lease_id is not None, timeout=30, interval=0.02)
    left_at = timezone.now()  # the request leaves as soon as its lease is committed
    first.kill()
    start_worker(**env)
    wait_for(lambda: faults.token_requests("refresh_token") == 1, timeout=10)  # the late original

    lease_ends = account.reload().refresh_lease_expires_at
    assert lease_ends - left_at > timedelta(seconds=8)
    wait_for(lambda: timezone.now() > lease_ends, timeout=30)
    assert refresh_sweep() == 1  # the slot has gone, the integration is still due

    wait_for(lambda: _ended(account), timeout=60)
    integration = account.reload()
    assert integration.status == Integration.Status.EXPIRED
    assert integration.expiry_cause == Integration.ExpiryCause.LOST_ROTATION
    assert _kinds(integration) == [Kind.REFRESH_FAILED, Kind.REFRESH_LOST]
    assert integration.last_error.startswith("Renovação perdida")
    lost_at = integration.events.get(kind=Kind.REFRESH_LOST).created_at
    assert lost_at < left_at + window + timedelta(seconds=4)  # from when the request left
    assert lost_at > left_at + window - timedelta(seconds=1)  # the late original had its time
    assert faults.token_requests("refresh_token", outcome="invalid_grant") == 1


def test_two_plain_500s_are_retried_with_the_backoff_not_after_the_window(start_worker, seller):
    """The server answered both times: no original can land later, and the retries tell by
    themselves whether the token still works (it does)."""
    worker = start_worker(INTEGRATIONS_ROTATION_WINDOW_MINUTES="1")
    account = sandbox_account(seller=seller, tenant=SELLER_TENANTS[1])
    faults.arm(faults.REFRESH, faults.SERVER_ERROR, times=2)

    assert refresh_sweep() == 1

    wait_for(lambda: Kind.REFRESHED in _kinds(account.integration), timeout=30)
    integration = account.reload()
    assert integration.is_active and integration.last_error == ""
    assert _kinds(integration) == [Kind.REFRESH_FAILED, Kind.REFRESH_FAILED, Kind.REFRESHED]
    assert integration.rotation_doubt_since is None and integration.rotation_unknown_since is None
    assert integration.rotation_verify_after is None  # nothing to check afterwards
    assert faults.token_requests("refresh_token", outcome="fault:server_error") == 2
    assert faults.token_requests("refresh_token", outcome="ok") == 1
    first_failed, _, refreshed = integration.events.order_by("id").values_list(
        "created_at", flat=True
    )
    assert (refreshed - first_failed).total_seconds() < 10  # the backoff; the window is 60 s
    log = worker.log()
    assert log.count("outcome_unknown=False answered_in_doubt=True") == 2
    assert account.refresh_token not in log
