"""Fault switches: every mode, ``times``, Retry-After, latency, and no work done when faulted."""

import time

import pytest

from marketplaces.magalu.standin import issuer
from marketplaces.sandbox import faults
from marketplaces.sandbox.http import SIMULATE_HEADER
from marketplaces.sandbox.models import SandboxAuthorizationCode, SandboxFault
from tests.sandbox.conftest import HOST, LOJA, exchange, obtain_code, refresh

pytestmark = pytest.mark.django_db

TENANTS_URL = "/sandbox/idmagalu/account/api/v2/whoami/tenants"
ORDERS_URL = "/sandbox/magalu-api/seller/v1/orders"


def _access_token() -> str:
    return issuer.issue_tokens(tenant_uuid=LOJA, scopes=[])["access_token"]


def _refresh_token() -> str:
    return issuer.issue_tokens(tenant_uuid=LOJA, scopes=[])["refresh_token"]


@pytest.mark.parametrize(
    ("mode", "status", "error"),
    [
        ("server_error", 500, "server_error"),
        ("unavailable", 503, "temporarily_unavailable"),
        ("rate_limited", 429, "too_many_requests"),
        ("invalid_grant", 400, "invalid_grant"),
        ("invalid_client", 401, "invalid_client"),
        ("unauthorized", 401, "invalid_token"),
        ("timeout", 504, "gateway_timeout"),
        ("connect_error", 502, "bad_gateway"),
    ],
)
def test_each_mode_on_the_token_endpoint(client, mode, status, error):
    token = _refresh_token()
    faults.arm("refresh", mode, delay_ms=0)

    response = refresh(client, token)

    assert response.status_code == status
    assert response.json()["error"] == error
    assert response["Cache-Control"] == "no-store"
    assert faults.token_requests("refresh_token", outcome=f"fault:{mode}") == 1


def test_timeout_sleeps_and_marks_a_read_timeout(client):
    faults.arm("token", "timeout", delay_ms=120)
    started = time.monotonic()

    response = refresh(client, _refresh_token())

    assert time.monotonic() - started >= 0.12
    assert response.status_code == 504
    assert response[SIMULATE_HEADER] == "read-timeout"


def test_connect_error_is_marked(client):
    faults.arm("token", "connect_error")

    response = refresh(client, _refresh_token())

    assert response.status_code == 502
    assert response[SIMULATE_HEADER] == "connect-error"


def test_rate_limited_with_and_without_retry_after(client):
    faults.arm("token", "rate_limited", retry_after=30)
    faults.arm("token", "rate_limited")

    first, second = refresh(client, _refresh_token()), refresh(client, _refresh_token())

    assert first.status_code == second.status_code == 429
    assert first["Retry-After"] == "30"
    assert "Retry-After" not in second


def test_redirect_points_elsewhere(client):
    faults.arm("token", "redirect")

    response = refresh(client, _refresh_token())

    assert response.status_code == 302
    assert response["Location"] == "http://sandbox.test/sandbox/"


def test_times_is_honoured_then_calls_succeed(client):
    token = _refresh_token()
    faults.arm("refresh", "server_error", times=2)

    statuses = [refresh(client, token).status_code for _ in range(3)]

    assert statuses == [500, 500, 200]
    assert SandboxFault.objects.get().remaining == 0


def test_a_faulted_refresh_does_not_rotate(client):
    token = _refresh_token()
    faults.arm("refresh", "invalid_grant")

    assert refresh(client, token).json()["error"] == "invalid_grant"
    assert refresh(client, token).status_code == 200


def test_a_faulted_exchange_does_not_burn_the_code(client, verifier):
    code = obtain_code(client, verifier=verifier)
    faults.arm("exchange", "unavailable")

    assert exchange(client, code, verifier).status_code == 503
    assert SandboxAuthorizationCode.objects.get().used_at is None
    assert exchange(client, code, verifier).status_code == 200


def test_exchange_and_refresh_faults_only_match_their_grant(client, verifier):
    token = _refresh_token()
    faults.arm("exchange", "server_error")

    assert refresh(client, token).status_code == 200
    assert exchange(client, obtain_code(client, verifier=verifier), verifier).status_code == 500

    faults.arm("refresh", "server_error")
    assert exchange(client, obtain_code(client, verifier=verifier), verifier).status_code == 200


def test_token_faults_match_both_grants(client, verifier):
    faults.arm("token", "server_error", times=2)

    assert exchange(client, obtain_code(client, verifier=verifier), verifier).status_code == 500
    assert refresh(client, _refresh_token()).status_code == 500


def test_faults_are_taken_oldest_first(client):
    faults.arm("token", "server_error")
    faults.arm("refresh", "unavailable")

    assert refresh(client, _refresh_token()).status_code == 500
    assert refresh(client, _refresh_token()).status_code == 503


def test_lost_response_does_the_work_but_the_answer_is_lost(client):
    token = _refresh_token()
    faults.arm("refresh", "lost_response", delay_ms=0)

    lost = refresh(client, token)

    assert lost.status_code == 504
    assert lost[SIMULATE_HEADER] == "read-timeout"
    assert refresh(client, token).json()["error"] == "invalid_grant"  # it did rotate
    assert faults.token_requests(outcome="fault:lost_response") == 1


@pytest.mark.parametrize(("endpoint", "url"), [("account", TENANTS_URL), ("api", ORDERS_URL)])
@pytest.mark.parametrize(
    ("mode", "status"),
    [("server_error", 500), ("unavailable", 503), ("unauthorized", 401), ("timeout", 504)],
)
def test_faults_on_bearer_endpoints(client, endpoint, url, mode, status):
    token = _access_token()
    faults.arm(endpoint, mode, delay_ms=0)

    response = client.get(url, headers={**HOST, "Authorization": f"Bearer {token}"})

    assert response.status_code == status
    assert client.get(url, headers={**HOST, "Authorization": f"Bearer {token}"}).status_code == 200


def test_tenant_and_api_faults_do_not_touch_the_token_endpoint(client):
    faults.arm("account", "server_error")
    faults.arm("api", "server_error")

    assert refresh(client, _refresh_token()).status_code == 200


def test_latency_is_added_to_token_calls(client):
    faults.set_latency(150)
    started = time.monotonic()
    refresh(client, _refresh_token())
    slow = time.monotonic() - started

    faults.set_latency(0)
    started = time.monotonic()
    refresh(client, _refresh_token())
    fast = time.monotonic() - started

    assert slow >= 0.15
    assert fast < 0.15
    assert faults.token_latency_ms() == 0


def test_clear_disarms_everything(client):
    faults.arm("token", "server_error", times=5)
    faults.set_latency(500)

    faults.clear()

    assert faults.token_latency_ms() == 0
    assert refresh(client, _refresh_token()).status_code == 200


def test_token_request_log(client):
    faults.arm("token", "server_error")
    refresh(client, _refresh_token())
    refresh(client, _refresh_token())

    assert faults.token_requests() == 2
    assert faults.token_requests("refresh_token") == 2
    assert faults.token_requests("authorization_code") == 0
    assert faults.token_requests(outcome="ok") == 1

    faults.clear_token_requests()
    assert faults.token_requests() == 0


def test_take_consumes_atomically():
    fault = faults.arm("api", "server_error", times=1)

    assert faults.take(["api"], marketplace="magalu").pk == fault.pk
    assert faults.take(["api"], marketplace="magalu") is None
    assert faults.take(["token"], marketplace="magalu") is None


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("nowhere", "server_error"), {}),
        (("token", "explode"), {}),
        (("token", "server_error"), {"times": 0}),
    ],
)
def test_arm_validates(args, kwargs):
    with pytest.raises(ValueError):
        faults.arm(*args, **kwargs)


def test_set_latency_validates():
    with pytest.raises(ValueError):
        faults.set_latency(-1)
