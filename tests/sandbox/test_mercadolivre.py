"""The Mercado Livre stand-in: consent pages, the token endpoint (form-encoded, PKCE, rotation
with reuse detection), /users/me and the operator rule."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from integrations.pkce import s256_challenge
from marketplaces import get_provider
from marketplaces.mercadolivre.standin import issuer
from marketplaces.sandbox import faults
from tests.sandbox_http import sandbox_consent

pytestmark = pytest.mark.django_db

HOST = {"host": "sandbox.test"}
VERIFIER = "v" * 50


def authorize_url(**overrides) -> str:
    params = {
        "response_type": "code",
        "client_id": get_provider("mercadolivre").config.client_id,
        "redirect_uri": get_provider("mercadolivre").config.redirect_uri,
        "state": "st4te",
        "code_challenge": s256_challenge(VERIFIER),
        "code_challenge_method": "S256",
        **overrides,
    }
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f"http://sandbox.test{reverse('sandbox:mercadolivre:authorize')}?{query}"


def token(client, **body):
    return client.post(
        reverse("sandbox:mercadolivre:token"),
        urlencode(body),
        content_type="application/x-www-form-urlencoded",
        headers=HOST,
    )


def credentials() -> dict:
    return {
        "client_id": get_provider("mercadolivre").config.client_id,
        "client_secret": get_provider("mercadolivre").config.client_secret,
    }


def code_for(client, login: str = "LOJAEXEMPLO") -> str:
    location = sandbox_consent(client, authorize_url(), login)
    params = parse_qs(urlsplit(location).query)
    assert params["state"] == ["st4te"] and "iss" not in params
    return params["code"][0]


def exchange(client, code: str, **overrides):
    body = {
        "grant_type": "authorization_code",
        **credentials(),
        "code": code,
        "redirect_uri": get_provider("mercadolivre").config.redirect_uri,
        "code_verifier": VERIFIER,
        **overrides,
    }
    return token(client, **{k: v for k, v in body.items() if v is not None})


def test_the_code_exchange_answers_as_mercado_livre_documents(client):
    response = exchange(client, code_for(client))

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 21600
    assert body["user_id"] == 123456001
    assert body["scope"] == "offline_access read write"
    assert body["access_token"].startswith("APP_USR-") and body["refresh_token"].startswith("TG-")
    assert response["Cache-Control"] == "no-store"


def test_json_bodies_are_refused(client):
    response = client.post(
        reverse("sandbox:mercadolivre:token"),
        {"grant_type": "authorization_code", **credentials()},
        content_type="application/json",
        headers=HOST,
    )

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"code_verifier": "w" * 50}, "invalid_grant"),
        ({"code_verifier": None}, "invalid_grant"),
        ({"redirect_uri": "https://other.example/"}, "invalid_grant"),
        ({"client_secret": "wrong"}, "invalid_client"),
    ],
)
def test_the_exchange_checks_pkce_redirect_uri_and_client(client, change, error):
    assert exchange(client, code_for(client), **change).json()["error"] == error


def test_a_code_is_single_use(client):
    code = code_for(client)
    assert exchange(client, code).status_code == 200
    assert exchange(client, code).json()["error"] == "invalid_grant"


def test_refresh_rotates_and_a_reuse_revokes_the_grant(client):
    first = issuer.issue_tokens(user_id=123456002)
    second = token(
        client, grant_type="refresh_token", refresh_token=first["refresh_token"], **credentials()
    ).json()

    reuse = token(
        client, grant_type="refresh_token", refresh_token=first["refresh_token"], **credentials()
    )

    assert reuse.json()["error"] == "invalid_grant"
    later = token(
        client, grant_type="refresh_token", refresh_token=second["refresh_token"], **credentials()
    )
    assert later.json()["error"] == "invalid_grant"
    me = client.get(
        reverse("sandbox:mercadolivre:users-me"),
        headers={**HOST, "Authorization": f"Bearer {second['access_token']}"},
    )
    assert me.status_code == 401


def test_users_me_names_the_account(client):
    body = issuer.issue_tokens(user_id=123456002)

    me = client.get(
        reverse("sandbox:mercadolivre:users-me"),
        headers={**HOST, "Authorization": f"Bearer {body['access_token']}"},
    ).json()

    assert (me["id"], me["nickname"], me["site_id"]) == (123456002, "EXEMPLOOUTLET", "MLB")
    assert me["identification"]["type"] == "CPF"


def test_an_operator_grant_answers_403_everywhere(client):
    body = issuer.issue_tokens(user_id=123456009)
    headers = {**HOST, "Authorization": f"Bearer {body['access_token']}"}

    for url in (
        reverse("sandbox:mercadolivre:users-me"),
        reverse("sandbox:mercadolivre:orders-search") + "?seller=123456009",
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 403
        assert response.json()["error"] == "invalid_operator_user_id"


def test_orders_search_only_for_the_token_s_own_seller(client):
    body = issuer.issue_tokens(user_id=123456001)
    headers = {**HOST, "Authorization": f"Bearer {body['access_token']}"}
    url = reverse("sandbox:mercadolivre:orders-search")

    assert client.get(f"{url}?seller=123456001", headers=headers).status_code == 200
    assert client.get(f"{url}?seller=123456002", headers=headers).status_code == 403


def test_faults_can_target_this_stand_in_only(client):
    faults.arm(faults.REFRESH, faults.UNAVAILABLE, marketplace="magalu")
    first = issuer.issue_tokens(user_id=123456001)

    response = token(
        client, grant_type="refresh_token", refresh_token=first["refresh_token"], **credentials()
    )

    assert response.status_code == 200


def test_the_consent_page_needs_the_registered_client_and_redirect_uri(client):
    for change in ({"client_id": "other"}, {"redirect_uri": "https://evil.example/cb"}):
        response = client.get(authorize_url(**change), headers=HOST)
        assert response.status_code == 400
        assert "Location" not in response


def test_pkce_is_required(client):
    response = client.get(
        authorize_url(code_challenge=None, code_challenge_method=None), headers=HOST
    )

    assert response.status_code == 302
    assert "error=invalid_request" in response["Location"]


def test_a_wrong_password_stays_on_the_sign_in_page(client):
    page = client.get(authorize_url(), headers=HOST, follow=True)
    signin = page.redirect_chain[-1][0]

    response = client.post(signin, {"login": "LOJAEXEMPLO", "password": "nope"}, headers=HOST)

    assert response.status_code == 200
    assert "E-mail, usuário ou senha incorretos." in response.content.decode()


def test_denying_returns_access_denied(client):
    location = sandbox_consent(client, authorize_url(), "LOJAEXEMPLO", cancel=True)

    assert parse_qs(urlsplit(location).query)["error"] == ["access_denied"]


def test_the_home_page_lists_the_demo_logins(client):
    page = client.get(reverse("sandbox:mercadolivre:home"), headers=HOST).content.decode()

    for login in ("LOJAEXEMPLO", "EXEMPLOOUTLET", "LOJAEXEMPLO.OPERADOR", "TIENDAEJEMPLO"):
        assert login in page
