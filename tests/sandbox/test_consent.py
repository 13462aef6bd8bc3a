"""The consent pages: validation, sign-in, "Escolha a conta", cancel and sign-out."""

import hashlib

import pytest
from django.urls import reverse

from marketplaces import get_provider
from marketplaces.magalu.standin.directory import (
    DEMO_PERSON_EMAIL,
    DEMO_PERSON_PASSWORD,
    DEMO_TENANTS,
)
from marketplaces.magalu.standin.views_login import SESSION_PERSON, pending_requests
from marketplaces.sandbox.models import SandboxAuthorizationCode
from tests.sandbox.conftest import HOST, LOJA, authorize_url, callback_params
from tests.sandbox_http import sandbox_consent

SESSION_PENDING = pending_requests.key

pytestmark = pytest.mark.django_db

STATE = "st4te-Ab_c.~123"


def _start(client, **overrides):
    return client.get(authorize_url(**overrides), headers=HOST)


def _sign_in(client, response, password=DEMO_PERSON_PASSWORD):
    return client.post(
        response["Location"],
        {"email": DEMO_PERSON_EMAIL, "password": password},
        headers=HOST,
    )


@pytest.mark.parametrize(
    ("overrides", "title"),
    [
        ({"client_id": "someone-else"}, "Aplicativo desconhecido"),
        ({"client_id": None}, "Aplicativo desconhecido"),
        ({"redirect_uri": "http://evil.test/callback"}, "Endereço de retorno inválido"),
        (
            {"redirect_uri": get_provider("magalu").config.redirect_uri + "x"},
            "Endereço de retorno inválido",
        ),
        ({"redirect_uri": None}, "Endereço de retorno inválido"),
    ],
)
def test_bad_client_or_redirect_uri_shows_an_error_and_never_redirects(client, overrides, title):
    response = _start(client, **overrides)

    assert response.status_code == 400
    assert "Location" not in response
    assert title in response.content.decode()
    assert SESSION_PENDING not in client.session


def test_repeated_redirect_uri_is_refused_without_redirect(client):
    url = authorize_url() + "&redirect_uri=http%3A%2F%2Fevil.test%2F"

    response = client.get(url, headers=HOST)

    assert response.status_code == 400
    assert "Location" not in response


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),  # absent means plain
        ({"code_challenge": "too-short"}, "invalid_request"),
        ({"code_challenge": None}, "invalid_request"),  # PKCE required by default
        ({"response_type": "token"}, "unsupported_response_type"),
    ],
)
def test_protocol_errors_go_back_to_the_redirect_uri_with_state(client, overrides, error):
    response = _start(client, **overrides)

    assert response.status_code == 302
    params = callback_params(response["Location"])
    assert params["error"] == error
    assert params["state"] == STATE
    assert params["iss"] == get_provider("magalu").config.issuer


def test_pkce_can_be_made_optional(client, settings):
    settings.MAGALU_SANDBOX_REQUIRE_PKCE = False

    location = sandbox_consent(
        client, authorize_url(code_challenge=None, code_challenge_method=None), LOJA
    )

    assert "code" in callback_params(location)
    assert SandboxAuthorizationCode.objects.get().code_challenge == ""


def test_unsigned_person_sees_the_login_form(client):
    response = client.get(_start(client)["Location"], headers=HOST)

    page = response.content.decode()
    assert response.status_code == 200
    assert "E-mail" in page and "Senha" in page and "Entrar" in page
    assert "Simulador local do ID Magalu" in page


def test_wrong_password_is_refused(client):
    started = _start(client)

    response = _sign_in(client, started, password="wrong")

    assert response.status_code == 200
    assert "E-mail ou senha inválidos." in response.content.decode()
    assert SESSION_PERSON not in client.session


def test_sign_in_leads_to_the_account_choice(client):
    started = _start(client)

    signed_in = _sign_in(client, started)
    response = client.get(signed_in["Location"], headers=HOST)

    page = response.content.decode()
    assert signed_in.status_code == 302
    assert "Escolha a conta" in page
    assert "Continuar" in page and "Cancelar" in page
    assert page.count('type="radio"') == len(DEMO_TENANTS)
    assert "Loja Exemplo Ltda" in page and "Pessoa Jurídica" in page and "Pessoa Física" in page
    assert "CNPJ ••.•••.•••/0001-01" in page


def test_pages_respect_the_content_security_policy(client):
    started = _start(client)
    pages = [
        client.get(started["Location"], headers=HOST),
        client.get(_sign_in(client, started)["Location"], headers=HOST),
        client.get(reverse("sandbox:home"), headers=HOST),
    ]

    for response in pages:
        page = response.content.decode()
        assert "<style" not in page
        assert "style=" not in page
        assert "<script" not in page
        assert "/static/sandbox/sandbox.css" in page
        assert "default-src 'self'" in response["Content-Security-Policy"]


def test_continue_redirects_with_code_state_and_iss(client):
    location = sandbox_consent(client, authorize_url(), LOJA)

    params = callback_params(location)
    assert set(params) == {"code", "state", "iss"}
    assert params["state"] == STATE
    assert params["iss"] == get_provider("magalu").config.issuer
    assert len(params["code"]) >= 43  # 256 bits, base64url
    row = SandboxAuthorizationCode.objects.get()
    assert row.account_id == LOJA
    assert row.code_hash == hashlib.sha256(params["code"].encode()).hexdigest()
    assert row.scope == " ".join(get_provider("magalu").config.scopes)


def test_iss_can_be_left_out(client, settings):
    settings.MAGALU_SANDBOX_SEND_ISS = False

    params = callback_params(sandbox_consent(client, authorize_url(), LOJA))

    assert "iss" not in params


def test_state_is_returned_exactly_and_absent_state_stays_absent(client):
    odd_state = "a b+c/d=é%"

    with_state = callback_params(sandbox_consent(client, authorize_url(state=odd_state), LOJA))
    without = callback_params(sandbox_consent(client, authorize_url(state=None), LOJA))

    assert with_state["state"] == odd_state
    assert "state" not in without


def test_cancel_redirects_with_access_denied_and_state(client):
    location = sandbox_consent(client, authorize_url(), LOJA, cancel=True)

    params = callback_params(location)
    assert params["error"] == "access_denied"
    assert params["error_description"]
    assert params["state"] == STATE
    assert "code" not in params
    assert not SandboxAuthorizationCode.objects.exists()


def test_without_choose_tenants_the_natural_person_is_used(client):
    location = sandbox_consent(client, authorize_url(choose_tenants="false"), LOJA)

    assert "code" in callback_params(location)
    assert SandboxAuthorizationCode.objects.get().account_id == DEMO_TENANTS[0].uuid


def test_unknown_tenant_is_refused_on_the_choice_page(client):
    started = _start(client)
    choose_url = _sign_in(client, started)["Location"]

    response = client.post(choose_url, {"action": "continue", "tenant": "nope"}, headers=HOST)

    assert response.status_code == 200
    assert "Escolha uma conta para continuar." in response.content.decode()
    assert not SandboxAuthorizationCode.objects.exists()


def test_a_signed_in_person_goes_straight_to_the_choice(client):
    sandbox_consent(client, authorize_url(), LOJA)

    response = _start(client)

    assert "/sandbox/idmagalu/conta/" in response["Location"]


def test_the_pending_request_is_single_use(client):
    started = _start(client)
    choose_url = _sign_in(client, started)["Location"]
    client.post(choose_url, {"action": "continue", "tenant": LOJA}, headers=HOST)

    again = client.post(choose_url, {"action": "continue", "tenant": LOJA}, headers=HOST)

    assert again.status_code == 400
    assert "Solicitação expirada" in again.content.decode()
    assert SandboxAuthorizationCode.objects.count() == 1


def test_sign_out_keeps_the_rest_of_the_session(client, django_user_model):
    user = django_user_model.objects.create_user(username="hubuser", password="x")
    client.force_login(user)
    session = client.session
    session["hub.something"] = "kept"
    session.save()
    started = _start(client)
    _sign_in(client, started)
    assert client.session[SESSION_PERSON]

    response = client.post(reverse("sandbox:magalu:logout"), headers=HOST)

    assert response.status_code == 302
    assert SESSION_PERSON not in client.session
    assert SESSION_PENDING not in client.session
    assert client.session["hub.something"] == "kept"
    assert int(client.session["_auth_user_id"]) == user.pk


def test_sign_out_from_the_choice_page_returns_to_the_login_form(client):
    started = _start(client)
    choose_url = _sign_in(client, started)["Location"]
    rid = choose_url.rstrip("/").rsplit("/", 1)[1]

    response = client.post(reverse("sandbox:magalu:logout"), {"rid": rid}, headers=HOST)

    assert response["Location"] == reverse("sandbox:magalu:signin", kwargs={"rid": rid})
    assert "Entrar" in client.get(response["Location"], headers=HOST).content.decode()


def test_forms_are_csrf_protected(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    started = strict.get(authorize_url(), headers=HOST)

    response = strict.post(
        started["Location"],
        {"email": DEMO_PERSON_EMAIL, "password": DEMO_PERSON_PASSWORD},
        headers=HOST,
    )

    assert response.status_code == 403


def test_consent_helper_works_with_csrf_enforced(db):
    from django.test import Client

    location = sandbox_consent(Client(enforce_csrf_checks=True), authorize_url(), LOJA)

    assert "code" in callback_params(location)


def test_home_page_shows_the_demo_credentials(client):
    page = client.get(reverse("sandbox:magalu:home"), headers=HOST).content.decode()

    assert DEMO_PERSON_EMAIL in page and DEMO_PERSON_PASSWORD in page


def test_the_index_links_every_stand_in(client):
    page = client.get(reverse("sandbox:home"), headers=HOST).content.decode()

    assert reverse("sandbox:magalu:home") in page
