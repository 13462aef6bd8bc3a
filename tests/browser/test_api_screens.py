"""Configurações → API e webhooks in a real browser, at 1366 px and on a phone (390 px): create a
key, register a webhook, see its delivery arrive, all without horizontal overflow."""

import re

import pytest
from playwright.sync_api import expect

from api.services.delivery import deliveries_send
from tests.api.conftest import receiver, write_orders  # noqa: F401 (receiver: a fixture)
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_seller_screens import _log_in
from tests.factories import IntegrationFactory, SellerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.mark.parametrize("size", list(SIZES))
def test_a_key_an_endpoint_and_a_delivery(live_hub, page, receiver, settings, size):  # noqa: F811
    seller = SellerFactory(name="Loja Exemplo")
    UserFactory(username="maria", email="maria@loja.com.br", membership__seller=seller)
    integration = IntegrationFactory(seller=seller, account_name="Loja Exemplo Ltda")
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    _log_in(page, live_hub)

    page.goto(f"{live_hub}/configuracoes/")
    page.get_by_role("link", name="Abrir API e webhooks").click()
    expect(page.get_by_role("heading", name="API e webhooks", level=1)).to_be_visible()

    page.get_by_text("Criar chave de API").click()
    page.get_by_label("Nome da chave").fill("ERP")
    page.get_by_role("checkbox", name=re.compile("^Ler pedidos")).check()
    page.get_by_role("button", name="Criar chave").click()
    key = page.get_by_test_id("new-key").inner_text()
    assert key.startswith("hub_")
    expect(page.get_by_text("Copie agora: ela não será mostrada de novo.")).to_be_visible()

    page.get_by_text("Cadastrar webhook", exact=True).first.click()
    page.get_by_label("URL que recebe os avisos").fill(receiver.url)
    page.get_by_role("checkbox", name=re.compile("^Pedido novo")).check()
    page.get_by_role("button", name="Cadastrar webhook").click()
    assert page.get_by_test_id("new-secret").inner_text().startswith("whsec_")

    write_orders(integration, [1])  # an order arrives; a worker sends its webhook
    assert deliveries_send() == 1
    page.goto(f"{live_hub}/configuracoes/api/")
    expect(page.get_by_text("Entregue · 1 tentativa · HTTP 204")).to_be_visible()
    assert key not in page.content()  # shown once
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size][0], f"horizontal overflow: {width}px"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"api-settings-{size}.png", full_page=True)
