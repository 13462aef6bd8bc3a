"""Connecting and reactivating a Shopee shop, against the in-process stand-in (signed calls,
``code`` and ``shop_id`` on the callback, the state inside the registered redirect)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from marketplaces.sandbox import faults
from tests.factories import IntegrationFactory
from tests.marketplaces.shopee.helpers import shopee_consent
from tests.sandbox_http import sandbox_http  # noqa: F401

pytestmark = pytest.mark.usefixtures("sandbox_http")

Outcome = AuthorizationAttempt.Outcome
LOJA, OUTLET, CASA, TIENDA = "880001", "880002", "880003", "880009"
CONFIRM = reverse("integrations:reactivate_confirm", args=["shopee"])


@pytest.fixture
def expired(seller):
    return IntegrationFactory(
        seller=seller,
        marketplace="shopee",
        external_id=LOJA,
        account_name="Loja Exemplo Shopee",
        expired=True,
    )


def _snapshot(integration: Integration) -> dict:
    fresh = Integration.objects.get(pk=integration.pk)
    return {f.attname: getattr(fresh, f.attname) for f in Integration._meta.concrete_fields}


def _start(client, integration=None) -> str:
    if integration is None:
        response = client.post(reverse("integrations:connect", args=["shopee"]))
    else:
        response = client.post(CONFIRM, {"integration": integration.pk})
    assert response.status_code == 302
    return response["Location"]


def _finish(client, callback_url: str) -> str:
    parts = urlsplit(callback_url)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def test_the_consent_url_is_a_signed_call_with_our_state_in_the_redirect(seller_client):
    url = _start(seller_client)
    query = parse_qs(urlsplit(url).query)

    assert urlsplit(url).path == "/sandbox/shopee-api/api/v2/shop/auth_partner"
    assert set(query) == {"partner_id", "timestamp", "sign", "redirect"}
    redirect = urlsplit(query["redirect"][0])
    assert f"{redirect.scheme}://{redirect.netloc}{redirect.path}" == (
        "http://hub.test/integracoes/shopee/retorno/"
    )
    assert len(parse_qs(redirect.query)["state"][0]) >= 43


def test_a_tampered_signature_is_refused_by_the_stand_in(seller_client, client):
    url = _start(seller_client).replace("sign=", "sign=0")

    response = client.get(url.removeprefix("http://sandbox.test"), headers={"host": "sandbox.test"})

    assert response.status_code == 400
    assert "Assinatura inválida" in response.content.decode()


def test_first_connection_with_code_and_shop_id(seller_client, seller):
    callback = shopee_consent(seller_client, _start(seller_client), "exemplooutlet")
    assert set(parse_qs(urlsplit(callback).query)) == {"state", "code", "shop_id"}

    html = _finish(seller_client, callback)

    integration = Integration.objects.get(seller=seller, marketplace="shopee")
    assert (integration.external_id, integration.account_name) == (OUTLET, "Exemplo Outlet")
    assert integration.is_active
    assert integration.access_token.startswith("shp-at-")
    left = integration.access_token_expires_at - timezone.now()
    assert timedelta(hours=3, minutes=59) < left <= timedelta(hours=4)
    # get_shop_info's expire_time: 365 days after the authorization.
    ends = integration.authorization_expires_at - timezone.now()
    assert timedelta(days=364, hours=23) < ends <= timedelta(days=365)
    assert "Pronto! Shopee conectado: Exemplo Outlet." in html
    assert (
        f"Autorização válida até {timezone.localtime(integration.authorization_expires_at):%d/%m/%Y}"
        in html
    )
    assert faults.token_requests("authorization_code", outcome="ok", marketplace="shopee") == 1


def test_reactivation_with_the_same_shop(seller_client, expired):
    html = _finish(
        seller_client, shopee_consent(seller_client, _start(seller_client, expired), "lojaexemplo")
    )

    integration = Integration.objects.get(pk=expired.pk)
    assert integration.is_active
    assert integration.authorization_expires_at is not None
    assert "Seu token da Shopee foi atualizado com sucesso" in html
    assert integration.events.filter(kind=IntegrationEvent.Kind.REAUTHORIZED).exists()


def test_reactivation_with_another_shop_changes_nothing(seller_client, expired):
    before = _snapshot(expired)

    html = _finish(
        seller_client, shopee_consent(seller_client, _start(seller_client, expired), "casaexemplo")
    )

    assert _snapshot(expired) == before
    attempt = AuthorizationAttempt.objects.get()
    assert (attempt.outcome, attempt.chosen_external_id) == (Outcome.WRONG_TENANT, CASA)
    assert "Você escolheu “Casa Exemplo” na Shopee" in html
    assert "esta integração é da conta “Loja Exemplo Shopee”" in html
    assert not Integration.objects.filter(external_id=CASA).exists()
