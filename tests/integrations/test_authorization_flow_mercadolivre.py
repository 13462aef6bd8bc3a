"""Connecting and reactivating a Mercado Livre account, against the in-process stand-in.

On Mercado Livre the login is the account (``user_id``): the seller "picks" it by signing in with
it. Only the account's administrator can authorize; an operator's grant answers 403.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from marketplaces.mercadolivre.standin.directory import user_by_id
from marketplaces.sandbox import faults
from tests.factories import IntegrationFactory
from tests.sandbox_http import sandbox_consent, sandbox_http  # noqa: F401

pytestmark = pytest.mark.usefixtures("sandbox_http")

Outcome = AuthorizationAttempt.Outcome
LOJA, OUTLET, CASA = "123456001", "123456002", "123456003"
CONFIRM = reverse("integrations:reactivate_confirm", args=["mercadolivre"])


@pytest.fixture
def expired(seller):
    return IntegrationFactory(
        seller=seller,
        marketplace="mercadolivre",
        external_id=LOJA,
        account_name="LOJAEXEMPLO",
        expired=True,
    )


def _snapshot(integration: Integration) -> dict:
    fresh = Integration.objects.get(pk=integration.pk)
    return {f.attname: getattr(fresh, f.attname) for f in Integration._meta.concrete_fields}


def _start(client, integration=None) -> str:
    if integration is None:
        response = client.post(reverse("integrations:connect", args=["mercadolivre"]))
    else:
        response = client.post(CONFIRM, {"integration": integration.pk})
    assert response.status_code == 302
    return response["Location"]


def _finish(client, callback_url: str) -> str:
    parts = urlsplit(callback_url)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_the_consent_url_uses_pkce_and_state_and_no_scope(seller_client):
    query = parse_qs(urlsplit(_start(seller_client)).query)

    assert set(query) == {
        "client_id",
        "redirect_uri",
        "response_type",
        "state",
        "code_challenge",
        "code_challenge_method",
    }
    assert query["redirect_uri"] == ["http://hub.test/integracoes/mercadolivre/retorno/"]
    assert query["code_challenge_method"] == ["S256"]


@pytest.mark.parametrize(
    ("login", "user_id", "document"),
    [
        ("LOJAEXEMPLO", LOJA, "CNPJ ••.•••.•••/0001-81"),
        ("EXEMPLOOUTLET", OUTLET, "CPF •••.•••.•••-25"),  # an individual seller: accepted here
    ],
)
def test_first_connection(seller_client, seller, login, user_id, document):
    html = _finish(seller_client, sandbox_consent(seller_client, _start(seller_client), login))

    assert f"Pronto! Mercado Livre conectado: {login}." in html
    integration = Integration.objects.get(seller=seller)
    assert (integration.marketplace, integration.external_id, integration.account_name) == (
        "mercadolivre",
        user_id,
        login,
    )
    assert integration.account_document == document
    assert integration.access_token.startswith("APP_USR-")
    assert integration.refresh_token.startswith("TG-")
    expires_in = (integration.access_token_expires_at - integration.last_renewed_at).total_seconds()
    assert expires_in == pytest.approx(21600, abs=5)  # six hours
    assert faults.token_requests("authorization_code", marketplace="mercadolivre") == 1


def test_reactivation_with_the_same_account(seller_client, expired):
    html = _finish(seller_client, sandbox_consent(seller_client, _start(seller_client, expired)))

    assert "Pronto! Seu token do Mercado Livre foi atualizado com sucesso." in html
    integration = Integration.objects.get(pk=expired.pk)
    assert integration.is_active
    assert integration.events.filter(kind=IntegrationEvent.Kind.REAUTHORIZED).exists()


def test_another_account_changes_nothing_and_names_both(seller_client, expired):
    before = _snapshot(expired)

    html = _finish(
        seller_client, sandbox_consent(seller_client, _start(seller_client, expired), "CASAEXEMPLO")
    )

    assert "Você escolheu “CASAEXEMPLO” no Mercado Livre" in html
    assert "esta integração é da conta “LOJAEXEMPLO”" in html
    assert "saia da conta atual no Mercado Livre" in html
    assert _snapshot(expired) == before
    attempt = AuthorizationAttempt.objects.get()
    assert (attempt.outcome, attempt.chosen_external_id) == (Outcome.WRONG_TENANT, CASA)


def test_an_operator_login_is_told_to_use_the_administrator(seller_client, expired):
    before = _snapshot(expired)

    html = _finish(
        seller_client,
        sandbox_consent(seller_client, _start(seller_client, expired), "LOJAEXEMPLO.OPERADOR"),
    )

    assert "Entre com o login do administrador" in html
    assert "usuário operador ou colaborador" in html
    assert _snapshot(expired) == before
    assert AuthorizationAttempt.objects.get().outcome == Outcome.OPERATOR_LOGIN


def test_an_operator_error_on_the_callback_is_the_same_message(seller_client, expired):
    state = parse_qs(urlsplit(_start(seller_client, expired)).query)["state"][0]

    html = _finish(
        seller_client,
        f"/integracoes/mercadolivre/retorno/?state={state}&error=invalid_operator_user_id",
    )

    assert "Entre com o login do administrador" in html
    assert AuthorizationAttempt.objects.get().outcome == Outcome.OPERATOR_LOGIN


def test_an_account_of_another_country_is_kept_for_support(seller_client, seller):
    html = _finish(
        seller_client, sandbox_consent(seller_client, _start(seller_client), "TIENDAEJEMPLO")
    )

    assert "Não reconhecemos o tipo da conta escolhida no Mercado Livre (“TIENDAEJEMPLO”)" in html
    assert not Integration.objects.exists()
    attempt = AuthorizationAttempt.objects.get()
    assert (attempt.outcome, attempt.chosen_account_type) == (
        Outcome.ACCOUNT_UNVERIFIED,
        "MLA CUIT",
    )


def test_denying_changes_nothing(seller_client, expired):
    before = _snapshot(expired)

    html = _finish(
        seller_client, sandbox_consent(seller_client, _start(seller_client, expired), cancel=True)
    )

    assert "A autorização no Mercado Livre foi cancelada." in html
    assert _snapshot(expired) == before


def test_a_replayed_callback_changes_nothing(seller_client, expired):
    callback = sandbox_consent(seller_client, _start(seller_client, expired))
    _finish(seller_client, callback)
    after_first = _snapshot(expired)

    html = _finish(seller_client, callback)

    assert "Esta autorização já foi processada." in html
    assert _snapshot(expired) == after_first
    assert faults.token_requests("authorization_code") == 1


def test_the_stand_in_knows_its_demo_accounts():
    assert user_by_id(LOJA).nickname == "LOJAEXEMPLO"
    assert user_by_id(123456009).is_operator
