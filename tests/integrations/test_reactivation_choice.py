"""Choosing what to reactivate or connect: the marketplaces with expired accounts, the account
when there are several, and what is refused on the way."""

import pytest
from django.urls import reverse

from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

LOJA = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000101"  # Loja Exemplo Ltda on the stand-in
CONFIRM = reverse("integrations:reactivate_confirm", args=["magalu"])


@pytest.fixture
def expired(seller):
    return IntegrationFactory(
        seller=seller, external_id=LOJA, account_name="Loja Exemplo Ltda", expired=True
    )


def test_marketplace_choice_and_account_choice_when_several_expired(seller_client, seller, expired):
    IntegrationFactory(
        seller=seller,
        account_name="Loja Exemplo Filial Sul Ltda",
        account_document="12.***.***/0002-**",
        expired=True,
    )
    IntegrationFactory(seller=seller, account_name="Ativa Ltda")
    choose = seller_client.get(reverse("integrations:reactivate")).content.decode()
    assert f'href="{CONFIRM}">Magazine Luiza' in choose
    assert "(2 contas com token expirado)" in choose
    # Only the marketplaces with something expired are offered.
    assert "Mercado Livre" not in choose
    confirm = seller_client.get(CONFIRM).content.decode()
    assert "Qual conta você deseja reativar?" in confirm
    assert "Loja Exemplo Ltda" in confirm and "Loja Exemplo Filial Sul Ltda" in confirm
    # Two accounts with similar names are told apart by the masked CNPJ or the account id.
    assert "12.***.***/0002-**" in confirm
    assert f"ID da conta no Magazine Luiza: {expired.external_id}" in confirm
    assert "Ativa Ltda" not in confirm


def test_every_enabled_marketplace_can_be_connected(seller_client, settings):
    page = seller_client.get(reverse("integrations:connect_choose")).content.decode()
    assert "Magazine Luiza" in page and "Mercado Livre" in page

    settings.MARKETPLACES = ["magalu"]
    page = seller_client.get(reverse("integrations:connect_choose")).content.decode()
    assert "Magazine Luiza" in page and "Mercado Livre" not in page


def test_nothing_expired_is_a_quiet_page(seller_client):
    page = seller_client.get(reverse("integrations:reactivate")).content.decode()
    assert "Nenhuma integração está com o token expirado" in page


def test_unknown_marketplace_is_404(seller_client):
    assert (
        seller_client.get(reverse("integrations:reactivate_confirm", args=["amazon"])).status_code
        == 404
    )


def test_non_numeric_choice_is_a_400(seller_client, expired):
    response = seller_client.post(CONFIRM, {"integration": "x"})
    assert response.status_code == 400
    assert "Escolha qual conta deseja reativar." in response.content.decode()
