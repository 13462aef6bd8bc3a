import pytest
from django.test import Client
from django.urls import reverse

from integrations.models import Integration, IntegrationEvent
from integrations.services.events import event_record
from tests.factories import IntegrationFactory, SellerFactory

pytestmark = pytest.mark.django_db


def test_seller_reads_recent_history_in_plain_portuguese(seller_client, seller):
    integration = IntegrationFactory(seller=seller)
    event_record(integration=integration, kind=IntegrationEvent.Kind.CONNECTED, details="Empresa X")
    event_record(integration=integration, kind=IntegrationEvent.Kind.REFRESHED)
    event_record(
        integration=integration,
        kind=IntegrationEvent.Kind.REFRESH_FAILED,
        details="TemporarilyUnavailable HTTP 503 internal-host-17",
    )
    event_record(
        integration=integration, kind=IntegrationEvent.Kind.EXPIRED, details="invalid_grant"
    )
    html = seller_client.get(
        reverse("integrations:history", args=[integration.pk])
    ).content.decode()
    for text in (
        "Integração conectada",
        "Token renovado automaticamente",
        "Falha temporária ao renovar o token",
        "Token expirado: é preciso reativar",
    ):
        assert text in html
    for internal in ("internal-host-17", "invalid_grant", "TemporarilyUnavailable"):
        assert internal not in html
    # Newest first.
    assert html.index("Token expirado") < html.index("Integração conectada")


def test_history_of_another_sellers_integration_is_404(seller_client):
    foreign = IntegrationFactory(seller=SellerFactory())
    assert seller_client.get(reverse("integrations:history", args=[foreign.pk])).status_code == 404


def test_disconnect_asks_first_then_erases_tokens_and_keeps_history(
    seller_client, seller, seller_user
):
    integration = IntegrationFactory(seller=seller, account_name="Loja Ipê Ltda")
    event_record(integration=integration, kind=IntegrationEvent.Kind.CONNECTED)
    url = reverse("integrations:disconnect", args=[integration.pk])

    page = seller_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Desconectar Magazine Luiza · Loja Ipê Ltda?" in html
    assert 'name="confirmar" value="sim"' in html
    assert Integration.objects.get(pk=integration.pk).has_tokens  # asking changes nothing

    response = seller_client.post(url, {"confirmar": "sim"})
    assert response.status_code == 302
    integration.refresh_from_db()
    assert integration.status == Integration.Status.DISCONNECTED
    assert integration.expiry_cause == ""
    assert integration.access_token_ciphertext == integration.refresh_token_ciphertext == ""
    assert list(integration.events.values_list("kind", flat=True)) == [
        IntegrationEvent.Kind.DISCONNECTED,
        IntegrationEvent.Kind.CONNECTED,
    ]
    assert integration.events.first().actor == seller_user


@pytest.mark.parametrize("body", [{}, {"confirmar": "nao"}, {"confirmar": ["sim", "sim"]}])
def test_a_post_without_the_confirmation_disconnects_nothing(seller_client, seller, body):
    integration = IntegrationFactory(seller=seller)
    response = seller_client.post(reverse("integrations:disconnect", args=[integration.pk]), body)
    assert response.status_code == 400
    assert "Confirme que deseja desconectar" in response.content.decode()
    assert Integration.objects.get(pk=integration.pk).has_tokens


def test_disconnecting_twice_says_it_already_was(seller_client, seller):
    integration = IntegrationFactory(seller=seller, account_name="Loja Ipê Ltda")
    url = reverse("integrations:disconnect", args=[integration.pk])
    seller_client.post(url, {"confirmar": "sim"})

    again = seller_client.post(url, {"confirmar": "sim"}, follow=True)

    assert "já estava desconectada" in again.content.decode()
    assert integration.events.filter(kind=IntegrationEvent.Kind.DISCONNECTED).count() == 1
    assert "já está desconectada" in seller_client.get(url).content.decode()


def test_the_history_page_links_to_the_confirmation_not_a_one_click_form(seller_client, seller):
    integration = IntegrationFactory(seller=seller)
    html = seller_client.get(reverse("integrations:history", args=[integration.pk])).content
    url = reverse("integrations:disconnect", args=[integration.pk])
    assert f'href="{url}"'.encode() in html
    assert f'action="{url}"'.encode() not in html


def test_disconnect_needs_csrf(seller_user, seller):
    integration = IntegrationFactory(seller=seller)
    client = Client(enforce_csrf_checks=True)
    client.force_login(seller_user)
    url = reverse("integrations:disconnect", args=[integration.pk])
    assert client.post(url, {"confirmar": "sim"}).status_code == 403
    assert Integration.objects.get(pk=integration.pk).has_tokens


def test_disconnect_another_sellers_integration_is_404(seller_client):
    foreign = IntegrationFactory(seller=SellerFactory())
    url = reverse("integrations:disconnect", args=[foreign.pk])
    assert seller_client.get(url).status_code == 404
    assert seller_client.post(url, {"confirmar": "sim"}).status_code == 404
    assert Integration.objects.get(pk=foreign.pk).has_tokens
