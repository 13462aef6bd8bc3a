"""Configurações → API e webhooks: the key and the secret shown once, revocation, resending,
pt-BR errors, and another seller's objects a 404."""

import pytest

from api.models import ApiKey, WebhookDelivery, WebhookEndpoint
from api.services.endpoints import endpoint_create
from api.services.keys import api_key_create
from tests.api.conftest import write_orders
from tests.factories import SellerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
PAGE = "/configuracoes/api/"


def test_the_settings_index_links_to_the_page(seller_client):
    assert PAGE in seller_client.get("/configuracoes/").content.decode()


def test_a_key_is_shown_once_and_never_again(seller_client, seller):
    response = seller_client.post(
        f"{PAGE}chaves/nova/", {"name": "ERP", "scopes": ["orders:read", "integrations:read"]}
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    plaintext = response.context["new_key_plaintext"]
    assert plaintext in response.content.decode()
    assert "Copie agora: ela não será mostrada de novo." in response.content.decode()
    key = ApiKey.objects.get(seller=seller)
    assert key.scopes == ["integrations:read", "orders:read"]
    assert plaintext not in seller_client.get(PAGE).content.decode()


def test_a_key_without_name_or_scope_is_refused_in_portuguese(seller_client):
    response = seller_client.post(f"{PAGE}chaves/nova/", {"name": " ", "scopes": ["root"]})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Dê um nome à chave." in html and "Escolha permissões da lista." in html
    assert not ApiKey.objects.exists()


def test_revoking_a_key(seller_client, seller):
    key, _ = api_key_create(seller=seller, name="ERP", scopes=["orders:read"])

    response = seller_client.post(f"{PAGE}chaves/{key.pk}/revogar/", follow=True)

    key.refresh_from_db()
    assert key.revoked_at is not None
    assert "Chave “ERP” revogada" in response.content.decode()


def test_an_endpoint_and_its_secret_shown_once(seller_client, seller, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    response = seller_client.post(
        f"{PAGE}webhooks/novo/",
        {"url": "http://127.0.0.1:8899/hook", "events": ["order.created", "orders.silent"]},
    )

    assert response.status_code == 200
    secret = response.context["new_endpoint_secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    endpoint = WebhookEndpoint.objects.get(seller=seller)
    assert secret not in endpoint.secret_ciphertext
    assert secret not in seller_client.get(PAGE).content.decode()


def test_resending_a_delivery_from_the_log(seller_client, seller):
    from tests.factories import IntegrationFactory

    integration = IntegrationFactory(seller=seller)
    endpoint_create(seller=seller, url="https://example.com/h", events=["order.created"])
    write_orders(integration, [1])
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.update(status="failed", attempts=15, next_attempt_at=None)

    page = seller_client.get(PAGE).content.decode()
    assert "Pedido novo" in page and "Reenviar" in page
    seller_client.post(f"{PAGE}entregas/{delivery.pk}/reenviar/")

    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 0


def test_another_sellers_objects_are_404(seller_client):
    other = SellerFactory()
    key, _ = api_key_create(seller=other, name="Deles", scopes=["orders:read"])
    endpoint, _ = endpoint_create(
        seller=other, url="https://example.com/h", events=["order.created"]
    )

    for path in (
        f"{PAGE}chaves/{key.pk}/revogar/",
        f"{PAGE}webhooks/{endpoint.pk}/reativar/",
        f"{PAGE}webhooks/{endpoint.pk}/excluir/",
    ):
        assert seller_client.post(path).status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None and WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    assert "Deles" not in seller_client.get(PAGE).content.decode()
