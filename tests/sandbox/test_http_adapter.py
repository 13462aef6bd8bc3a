"""tests/sandbox_http.py: requests served in-process, simulated network errors, the whole flow."""

import pytest
import requests
import responses
from requests.adapters import HTTPAdapter

from marketplaces import get_provider
from marketplaces.magalu.standin import issuer
from marketplaces.sandbox import faults
from tests.sandbox.conftest import LOJA, authorize_url, callback_params, new_verifier
from tests.sandbox_http import SandboxAdapter, SandboxCall, install, sandbox_consent

pytestmark = pytest.mark.django_db

TENANTS_URL = get_provider("magalu").config.tenants_url


def _refresh_body(refresh_token: str) -> dict:
    return {
        "grant_type": "refresh_token",
        "client_id": get_provider("magalu").config.client_id,
        "client_secret": get_provider("magalu").config.client_secret,
        "refresh_token": refresh_token,
    }


def test_settings_point_at_the_sandbox_host():
    assert (
        get_provider("magalu").config.token_url
        == "http://sandbox.test/sandbox/idmagalu/oauth/token"
    )
    assert TENANTS_URL.startswith("http://sandbox.test/")


def test_the_whole_flow_through_requests(client, sandbox_http):
    verifier = new_verifier()
    from integrations.pkce import s256_challenge

    callback = sandbox_consent(client, authorize_url(code_challenge=s256_challenge(verifier)), LOJA)
    code = callback_params(callback)["code"]

    exchanged = requests.post(
        get_provider("magalu").config.token_url,
        json={
            "grant_type": "authorization_code",
            "client_id": get_provider("magalu").config.client_id,
            "client_secret": get_provider("magalu").config.client_secret,
            "redirect_uri": get_provider("magalu").config.redirect_uri,
            "code": code,
            "code_verifier": verifier,
        },
        timeout=5,
    )
    tokens = exchanged.json()
    tenants = requests.get(
        TENANTS_URL, headers={"Authorization": f"Bearer {tokens['access_token']}"}, timeout=5
    )
    orders = requests.get(
        f"{get_provider('magalu').config.api_url}/seller/v1/orders?_limit=1",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=5,
    )
    refreshed = requests.post(
        get_provider("magalu").config.token_url,
        data=_refresh_body(tokens["refresh_token"]),
        timeout=5,
    )

    assert exchanged.status_code == 200
    assert exchanged.url == get_provider("magalu").config.token_url
    assert exchanged.headers["Content-Type"] == "application/json"
    assert exchanged.headers["cache-control"] == "no-store"
    assert tenants.status_code == 200
    assert LOJA in {entry["uuid"] for entry in tenants.json()}
    assert orders.status_code == 200 and len(orders.json()["results"]) == 1
    assert refreshed.status_code == 200
    assert sandbox_http.calls == [
        SandboxCall("POST", "/sandbox/idmagalu/oauth/token", 200),
        SandboxCall("GET", "/sandbox/idmagalu/account/api/v2/whoami/tenants", 200),
        SandboxCall("GET", "/sandbox/magalu-api/seller/v1/orders", 200),
        SandboxCall("POST", "/sandbox/idmagalu/oauth/token", 200),
    ]


def test_error_answers_come_back_as_responses(sandbox_http):
    response = requests.post(
        get_provider("magalu").config.token_url, data=_refresh_body("dead"), timeout=5
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not response.ok


def test_read_timeout_is_raised_as_requests_read_timeout(sandbox_http):
    faults.arm("token", "timeout", delay_ms=0)

    with pytest.raises(requests.ReadTimeout):
        requests.post(get_provider("magalu").config.token_url, data=_refresh_body("x"), timeout=1)


def test_connect_error_is_raised_as_requests_connection_error(sandbox_http):
    faults.arm("account", "connect_error")

    with pytest.raises(requests.ConnectionError) as raised:
        requests.get(TENANTS_URL, timeout=1)

    assert not isinstance(raised.value, requests.Timeout)


def test_lost_response_rotates_then_times_out(sandbox_http):
    body = issuer.issue_tokens(tenant_uuid=LOJA, scopes=[])
    faults.arm("refresh", "lost_response", delay_ms=0)

    with pytest.raises(requests.ReadTimeout):
        requests.post(
            get_provider("magalu").config.token_url,
            data=_refresh_body(body["refresh_token"]),
            timeout=1,
        )

    again = requests.post(
        get_provider("magalu").config.token_url,
        data=_refresh_body(body["refresh_token"]),
        timeout=1,
    )
    assert again.json()["error"] == "invalid_grant"


def test_rate_limit_headers_reach_the_caller(sandbox_http):
    faults.arm("token", "rate_limited", retry_after=7)

    response = requests.post(
        get_provider("magalu").config.token_url, data=_refresh_body("x"), timeout=1
    )

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"


def test_redirects_are_left_to_the_caller(sandbox_http):
    faults.arm("api", "redirect", times=2)
    url = f"{get_provider('magalu').config.api_url}/seller/v1/orders"

    not_followed = requests.get(url, timeout=1, allow_redirects=False)
    followed = requests.get(url, timeout=1)

    assert not_followed.status_code == 302
    assert not_followed.headers["Location"] == "http://sandbox.test/sandbox/"
    assert followed.status_code == 200
    assert "text/html" in followed.headers["Content-Type"]
    assert followed.url == "http://sandbox.test/sandbox/"


@responses.activate
def test_other_urls_go_to_the_usual_adapter():
    responses.get("http://elsewhere.test/ping", json={"pong": True})

    with install() as adapter:
        session = requests.Session()
        answered = requests.get("http://elsewhere.test/ping", timeout=1)

        assert isinstance(session.get_adapter("http://elsewhere.test/ping"), HTTPAdapter)
        assert session.get_adapter("http://sandbox.test/sandbox/") is adapter
        assert not isinstance(session.get_adapter("http://sandbox.test.evil/"), SandboxAdapter)
    assert answered.json() == {"pong": True}
    assert adapter.calls == []


def test_install_is_undone_on_exit():
    with install():
        pass

    assert isinstance(requests.Session().get_adapter("http://sandbox.test/x"), HTTPAdapter)


def test_install_on_one_session_only(db):
    mine, other = requests.Session(), requests.Session()

    with install(mine) as adapter:
        assert mine.get_adapter("http://sandbox.test/sandbox/") is adapter
        assert isinstance(other.get_adapter("http://sandbox.test/sandbox/"), HTTPAdapter)
        assert mine.get("http://sandbox.test/sandbox/", timeout=1).status_code == 200

    assert isinstance(mine.get_adapter("http://sandbox.test/sandbox/"), HTTPAdapter)


def test_custom_base_url(db, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "idmagalu.local"]

    with install(base_url="https://idmagalu.local:8443/") as adapter:
        response = requests.get("https://idmagalu.local:8443/sandbox/", timeout=1)

    assert response.status_code == 200
    assert adapter.calls == [SandboxCall("GET", "/sandbox/", 200)]


def test_sessions_created_before_install_are_covered(db):
    session = requests.Session()

    with install():
        response = session.get("http://sandbox.test/sandbox/", timeout=1)

    assert response.status_code == 200
    assert "ID Magalu" in response.text


def test_consent_helper_returns_the_error_callback_for_protocol_errors(client):
    location = sandbox_consent(client, authorize_url(code_challenge_method="plain"), LOJA)

    assert callback_params(location)["error"] == "invalid_request"


def test_consent_helper_raises_when_the_sandbox_refuses_to_redirect(client):
    with pytest.raises(AssertionError, match="400"):
        sandbox_consent(client, authorize_url(client_id="intruder"), LOJA)
