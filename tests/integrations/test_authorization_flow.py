"""The "Ativar token expirado" and first-connection journeys against the in-process stand-in."""

import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from marketplaces.magalu.standin.directory import DEMO_PERSON_UUID
from marketplaces.sandbox import faults
from tests.factories import IntegrationFactory, SellerFactory
from tests.sandbox_http import sandbox_consent, sandbox_http  # noqa: F401

pytestmark = pytest.mark.usefixtures("sandbox_http")

LOJA = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000101"  # Loja Exemplo Ltda
CASA = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000103"  # Casa Exemplo Distribuidora Ltda
SEM_ACESSO = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000104"  # Ana Souza Consultoria ME (no seller access)
COOPERATIVA = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000106"  # a tenant type the hub does not know
MARKETPLACES = reverse("integrations:marketplaces")
CONFIRM = reverse("integrations:reactivate_confirm", args=["magalu"])


@pytest.fixture
def expired(seller):
    return IntegrationFactory(
        seller=seller, external_id=LOJA, account_name="Loja Exemplo Ltda", expired=True
    )


def _snapshot(integration: Integration) -> dict:
    fresh = Integration.objects.get(pk=integration.pk)
    return {f.attname: getattr(fresh, f.attname) for f in Integration._meta.concrete_fields}


def _start(client, integration=None) -> str:
    if integration is None:
        response = client.post(reverse("integrations:connect", args=["magalu"]))
    else:
        response = client.post(CONFIRM, {"integration": integration.pk})
    assert response.status_code == 302
    return response["Location"]


def _finish(client, callback_url: str):
    """Follows the callback like the browser does; returns (callback response, landing page)."""
    parts = urlsplit(callback_url)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 302
    assert "code=" not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    landing = client.get(response["Location"])
    return response, landing


def test_consent_url_has_every_parameter(seller_client, expired):
    url = _start(seller_client, expired)
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert (
        f"{parts.scheme}://{parts.netloc}{parts.path}"
        == "http://sandbox.test/sandbox/idmagalu/login"
    )
    assert query["choose_tenants"] == ["true"]
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["hub-sandbox-client"]
    assert query["redirect_uri"] == ["http://hub.test/integracoes/magalu/retorno/"]
    assert query["scope"] == ["open:order-order:read open:portfolio:read"]
    assert len(query["state"][0]) >= 43  # 256 bits, url-safe base64
    assert query["code_challenge_method"] == ["S256"]
    attempt = AuthorizationAttempt.objects.get()
    assert attempt.integration == expired
    assert query["state"][0] not in attempt.state_hash  # stored only hashed
    assert attempt.expires_at - attempt.created_at == timedelta(minutes=10)


def test_the_state_lifetime_is_a_setting(seller_client, expired, settings):
    settings.INTEGRATIONS_AUTHORIZATION_STATE_TTL_SECONDS = 300

    _start(seller_client, expired)

    attempt = AuthorizationAttempt.objects.get()
    assert attempt.expires_at - attempt.created_at == timedelta(minutes=5)


def test_reactivation_with_the_right_pessoa_juridica(seller_client, expired, seller_user):
    callback = sandbox_consent(seller_client, _start(seller_client, expired), LOJA)
    _, landing = _finish(seller_client, callback)
    html = landing.content.decode()
    assert "Pronto! Seu token Magalu foi atualizado com sucesso." in html
    integration = Integration.objects.get(pk=expired.pk)
    assert integration.status == Integration.Status.ACTIVE
    assert integration.access_token.count(".") == 2  # a JWT from the stand-in
    assert integration.refresh_token
    assert integration.access_token_expires_at > timezone.now() + timedelta(hours=1)
    assert integration.last_error == ""
    event = integration.events.get(kind=IntegrationEvent.Kind.REAUTHORIZED)
    assert event.actor == seller_user
    assert AuthorizationAttempt.objects.get().outcome == AuthorizationAttempt.Outcome.SUCCESS
    # The status column now reads "Ativo".
    assert 'dot--active" aria-hidden="true"></span>Ativo' in html


def test_wrong_pessoa_juridica_changes_nothing_and_names_both(seller_client, expired):
    before = _snapshot(expired)
    callback = sandbox_consent(seller_client, _start(seller_client, expired), CASA)
    _, landing = _finish(seller_client, callback)
    html = landing.content.decode()
    assert "Você escolheu “Casa Exemplo Distribuidora Ltda”" in html
    assert "esta integração é da conta “Loja Exemplo Ltda”" in html
    assert "Nada foi alterado" in html
    assert f"?integracao={expired.pk}" in html and "Tentar novamente" in html
    assert _snapshot(expired) == before
    attempt = AuthorizationAttempt.objects.get()
    assert attempt.outcome == AuthorizationAttempt.Outcome.WRONG_TENANT
    assert (attempt.chosen_external_id, attempt.chosen_account_name) == (
        CASA,
        "Casa Exemplo Distribuidora Ltda",
    )
    assert expired.events.filter(kind=IntegrationEvent.Kind.WRONG_TENANT).exists()


@pytest.mark.parametrize(
    ("tenant", "said"),
    [
        (DEMO_PERSON_UUID, "A conta escolhida (“Ana Souza”) é uma Pessoa Física."),
        (SEM_ACESSO, "A conta escolhida (“Ana Souza Consultoria ME”) não tem acesso de seller."),
    ],
    ids=["pessoa-fisica", "sem-acesso"],
)
def test_natural_person_or_no_seller_access_changes_nothing(seller_client, expired, tenant, said):
    before = _snapshot(expired)
    callback = sandbox_consent(seller_client, _start(seller_client, expired), tenant)
    _, landing = _finish(seller_client, callback)
    html = landing.content.decode()
    assert said in html
    assert "acesso Master da loja" in html and "“Pessoa Jurídica”" in html
    assert "diferente da integração" not in html  # not mistaken for a wrong Pessoa Jurídica
    assert _snapshot(expired) == before
    attempt = AuthorizationAttempt.objects.get()
    assert attempt.outcome == AuthorizationAttempt.Outcome.ACCOUNT_REFUSED
    assert attempt.chosen_external_id == tenant


def test_a_natural_person_never_becomes_a_store_on_a_first_connection(seller_client, seller):
    """Choosing the Pessoa Física (tenant claim ``PF.<uuid>``) on "Conectar" connects nothing."""
    callback = sandbox_consent(seller_client, _start(seller_client), DEMO_PERSON_UUID)
    _, landing = _finish(seller_client, callback)

    html = landing.content.decode()
    assert "Pronto!" not in html
    assert "A conta escolhida (“Ana Souza”) é uma Pessoa Física." in html
    assert not Integration.objects.exists()
    attempt = AuthorizationAttempt.objects.get()
    assert (attempt.outcome, attempt.chosen_account_kind, attempt.chosen_account_type) == (
        AuthorizationAttempt.Outcome.ACCOUNT_REFUSED,
        "natural_person",
        "PF",
    )


def test_an_account_of_an_unknown_kind_is_kept_for_support_and_never_connected(
    seller_client, seller
):
    callback = sandbox_consent(seller_client, _start(seller_client), COOPERATIVA)
    _, landing = _finish(seller_client, callback)

    html = landing.content.decode()
    assert "Não reconhecemos o tipo da conta escolhida no ID Magalu (“Cooperativa Exemplo”)" in html
    assert "nossa equipe de suporte vai verificar" in html
    assert not Integration.objects.exists()
    attempt = AuthorizationAttempt.objects.get()
    assert attempt.outcome == AuthorizationAttempt.Outcome.ACCOUNT_UNVERIFIED
    assert (attempt.chosen_external_id, attempt.chosen_account_name) == (
        COOPERATIVA,
        "Cooperativa Exemplo",
    )
    assert (attempt.chosen_account_kind, attempt.chosen_account_type) == ("unknown", "Cooperative")


def test_once_support_accepts_the_unknown_kind_the_seller_connects_it(
    seller_client, seller, django_user_model
):
    from integrations.services.support import integration_accept_account

    _finish(seller_client, sandbox_consent(seller_client, _start(seller_client), COOPERATIVA))
    staff = django_user_model.objects.create_user("agente", is_staff=True)
    integration = integration_accept_account(
        attempt_id=AuthorizationAttempt.objects.get().pk, actor=staff
    )
    assert integration.status == Integration.Status.EXPIRED
    assert integration.accepted_account_type == "Cooperative"

    callback = sandbox_consent(seller_client, _start(seller_client, integration), COOPERATIVA)
    _, landing = _finish(seller_client, callback)

    assert "Pronto! Seu token Magalu foi atualizado com sucesso." in landing.content.decode()
    assert Integration.objects.get(pk=integration.pk).is_active


def test_first_connection_creates_the_integration(seller_client, seller):
    callback = sandbox_consent(seller_client, _start(seller_client), CASA)
    _, landing = _finish(seller_client, callback)
    assert (
        "Pronto! Magazine Luiza conectado: Casa Exemplo Distribuidora Ltda."
        in landing.content.decode()
    )
    integration = Integration.objects.get(seller=seller)
    assert (integration.external_id, integration.account_name) == (
        CASA,
        "Casa Exemplo Distribuidora Ltda",
    )
    assert integration.status == Integration.Status.ACTIVE
    assert integration.events.get().kind == IntegrationEvent.Kind.CONNECTED


def test_tenant_of_another_seller_is_refused(seller_client, seller):
    other = IntegrationFactory(seller=SellerFactory(), external_id=CASA, account_name="Casa")
    before = _snapshot(other)
    callback = sandbox_consent(seller_client, _start(seller_client), CASA)
    _, landing = _finish(seller_client, callback)
    assert "já está conectada a outra empresa" in landing.content.decode()
    assert _snapshot(other) == before
    assert not Integration.objects.filter(seller=seller).exists()
    attempt = AuthorizationAttempt.objects.get()
    assert attempt.outcome == AuthorizationAttempt.Outcome.OTHER_SELLER
    assert attempt.chosen_external_id == CASA


def test_cancel_on_id_magalu(seller_client, expired):
    before = _snapshot(expired)
    callback = sandbox_consent(seller_client, _start(seller_client, expired), cancel=True)
    assert "error=access_denied" in callback
    _, landing = _finish(seller_client, callback)
    assert "Autorização cancelada" in landing.content.decode()
    assert _snapshot(expired) == before
    attempt = AuthorizationAttempt.objects.get()
    assert attempt.outcome == AuthorizationAttempt.Outcome.CANCELLED
    assert attempt.consumed_at is not None  # an error callback consumes the state too
    assert faults.token_requests() == 0


@pytest.mark.parametrize(
    "mode", ["server_error", "unavailable", "timeout", "invalid_grant", "rate_limited", "redirect"]
)
def test_token_endpoint_failure_asks_to_try_again(seller_client, expired, mode):
    before = _snapshot(expired)
    callback = sandbox_consent(seller_client, _start(seller_client, expired), LOJA)
    faults.arm("exchange", mode, retry_after=5, delay_ms=10)
    _, landing = _finish(seller_client, callback)
    html = landing.content.decode()
    assert "Tente novamente em alguns minutos" in html
    assert _snapshot(expired) == before
    assert AuthorizationAttempt.objects.get().outcome == AuthorizationAttempt.Outcome.PROVIDER_ERROR
    assert faults.token_requests() == 1  # never retried: a read timeout may have spent the code


def test_reloading_the_callback_never_exchanges_twice(seller_client, expired):
    callback = sandbox_consent(seller_client, _start(seller_client, expired), LOJA)
    _finish(seller_client, callback)
    _, landing = _finish(seller_client, callback)
    html = landing.content.decode()
    assert "Esta autorização já foi processada." in html
    # The integration works: the seller is told nothing changed, not alarmed in red.
    assert "Nada mudou" in html
    assert "A integração Magazine Luiza “Loja Exemplo Ltda” continua ativa." in html
    assert "Autorização inválida ou expirada" not in html
    assert "alert--error" not in html and "alert--info" in html
    assert faults.token_requests() == 1
    assert Integration.objects.get(pk=expired.pk).status == Integration.Status.ACTIVE


def test_state_expires_after_ten_minutes(seller_client, expired):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        callback = sandbox_consent(seller_client, _start(seller_client, expired), LOJA)
        traveller.shift(timedelta(minutes=10, seconds=1))
        _, landing = _finish(seller_client, callback)
    assert "expirou" in landing.content.decode()
    assert faults.token_requests() == 0
    assert AuthorizationAttempt.objects.get().outcome == AuthorizationAttempt.Outcome.EXPIRED_STATE
    assert Integration.objects.get(pk=expired.pk).status == Integration.Status.EXPIRED


def test_state_from_another_session_is_refused_and_not_burnt(seller_client, seller_user, expired):
    callback = sandbox_consent(seller_client, _start(seller_client, expired), LOJA)
    intruder = Client()
    intruder.force_login(seller_user)  # same user, another browser
    parts = urlsplit(callback)
    response = intruder.get(f"{parts.path}?{parts.query}")
    assert response["Location"] == reverse("integrations:authorization_invalid")
    page = intruder.get(response["Location"])
    assert page.status_code == 400
    assert "iniciada em outra sessão" in page.content.decode()
    assert "Voltar para Marketplaces" in page.content.decode()
    attempt = AuthorizationAttempt.objects.get()
    assert attempt.consumed_at is None and faults.token_requests() == 0
    # The rightful session can still finish.
    _, landing = _finish(seller_client, callback)
    assert "Pronto!" in landing.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?code=abc",
        "?code=abc&state=unknown",
        "?error=access_denied",
        "?state=a&state=b&code=x",
        "?code=a&code=b&state=x",
        "?state=" + "s" * 600 + "&code=x",
    ],
)
def test_bad_callbacks_get_a_clear_page_and_change_nothing(seller_client, expired, query):
    before = _snapshot(expired)
    response = seller_client.get(reverse("integrations:callback", args=["magalu"]) + query)
    assert response.status_code == 302
    page = seller_client.get(response["Location"])
    assert page.status_code in (200, 400)
    assert "Nada foi alterado" in page.content.decode()
    assert _snapshot(expired) == before
    assert faults.token_requests() == 0


def test_duplicated_state_is_refused_even_when_one_is_valid(seller_client, expired):
    callback = sandbox_consent(seller_client, _start(seller_client, expired), LOJA)
    parts = urlsplit(callback)
    response = seller_client.get(f"{parts.path}?{parts.query}&state=other")
    assert response["Location"] == reverse("integrations:authorization_invalid")
    assert faults.token_requests() == 0


def test_iss_must_match_the_configured_issuer(seller_client, expired):
    callback = sandbox_consent(seller_client, _start(seller_client, expired), LOJA)
    parts = urlsplit(callback)
    query = parts.query.replace("iss=", "iss=https%3A%2F%2Fevil.example&x=")
    _, landing = _finish(seller_client, f"{parts.path}?{query}")
    assert faults.token_requests() == 0
    assert Integration.objects.get(pk=expired.pk).status == Integration.Status.EXPIRED
    assert "Nada foi alterado" in landing.content.decode()


def test_sim_is_csrf_protected(seller_user, expired):
    client = Client(enforce_csrf_checks=True)
    client.force_login(seller_user)
    assert client.post(CONFIRM, {"integration": expired.pk}).status_code == 403
    assert not AuthorizationAttempt.objects.exists()


def test_sim_needs_post(seller_client, expired):
    page = seller_client.get(CONFIRM)
    html = page.content.decode()
    assert ">Sim</button>" in html and 'method="post"' in html
    assert "acesso <strong>Master</strong>" in html and "“Pessoa Jurídica”" in html
    assert not AuthorizationAttempt.objects.exists()


def test_no_code_state_or_token_in_logs(seller_client, expired, caplog):
    caplog.set_level(logging.DEBUG)
    authorize = _start(seller_client, expired)
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    callback = sandbox_consent(seller_client, authorize, LOJA)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    _finish(seller_client, callback)
    integration = Integration.objects.get(pk=expired.pk)
    secrets = [
        state,
        code,
        integration.access_token,
        integration.refresh_token,
        "hub-sandbox-secret",
    ]
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert caplog.records  # the flow does log
    for secret in secrets:
        assert secret not in logged


def test_non_ascii_iss_is_refused_without_a_500(seller_client, expired):
    callback = sandbox_consent(seller_client, _start(seller_client, expired), LOJA)
    parts = urlsplit(callback)
    query = parts.query.replace("iss=", "iss=%C3%A9&x=")
    _, landing = _finish(seller_client, f"{parts.path}?{query}")
    assert "Nada foi alterado" in landing.content.decode()
    assert AuthorizationAttempt.objects.get().outcome == AuthorizationAttempt.Outcome.PROVIDER_ERROR
    assert faults.token_requests() == 0
