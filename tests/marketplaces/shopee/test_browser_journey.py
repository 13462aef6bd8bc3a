"""Shopee in a real browser: connect a shop, see the authorization's end date, reactivate it after
picking another shop first, connect a main account's shops after confirming which, then see the
orders imported."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from config.csp import content_security_policy
from integrations.models import AuthorizationAttempt, Integration
from integrations.orders.services.importing import ImportOutcome, orders_import
from tests.browser.conftest import live_hub, page  # noqa: F401 (fixtures)
from tests.factories import SellerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "test-artifacts"


@pytest.fixture
def shopee_hub(live_hub, settings):  # noqa: F811
    sandbox = live_hub.replace("localhost", "127.0.0.1") + "/sandbox/shopee-api"
    settings.SHOPEE_REDIRECT_URI = f"{live_hub}/integracoes/shopee/retorno/"
    settings.SHOPEE_AUTHORIZE_URL = f"{sandbox}/api/v2/shop/auth_partner"
    settings.SHOPEE_TOKEN_URL = f"{sandbox}/api/v2/auth/token/get"
    settings.SHOPEE_API_URL = sandbox
    settings.SHOPEE_READ_TIMEOUT = 10.0
    settings.SANDBOX_ORDERS_MEAN_GAP_MINUTES = 600
    settings.SECURE_CSP = content_security_policy(
        oauth_urls=[settings.SHOPEE_AUTHORIZE_URL, settings.SHOPEE_REDIRECT_URI]
    )
    return live_hub


def _log_in(page, hub) -> None:  # noqa: F811
    page.goto(f"{hub}/entrar/")
    page.get_by_label("Usuário").fill("maria")
    page.get_by_label("Senha").fill("senha-de-teste-123")
    page.get_by_role("button", name="Entrar").click()


def _authorize_on_shopee(page, login: str) -> None:  # noqa: F811
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/sandbox/shopee/"))
    if page.get_by_role("button", name="Sair").count():
        page.get_by_role("button", name="Sair").click()
    page.get_by_label("Usuário").fill(login)
    page.get_by_label("Senha").fill("demo12345")
    page.get_by_role("button", name="Entrar").click()
    expect(page.locator(".sbx-who")).to_have_text(login)
    page.get_by_role("button", name="Confirm Authorization").click()


def _reactivate(page) -> None:  # noqa: F811
    page.get_by_role("link", name="Tentar novamente").click()
    page.get_by_role("button", name="Sim").click()


def test_connect_reactivate_and_see_orders(shopee_hub, page):  # noqa: F811
    seller = SellerFactory(name="Loja Exemplo")
    UserFactory(username="maria", membership__seller=seller)
    _log_in(page, shopee_hub)

    page.get_by_role("link", name="Conectar Shopee").click()
    expect(page.get_by_text("confirma no hub quais conectar", exact=False)).to_be_visible()
    page.screenshot(path=f"{SHOTS}/shopee-connect-confirm.png", full_page=True)
    page.get_by_role("button", name="Sim").click()
    _authorize_on_shopee(page, "lojaexemplo")
    expect(page.get_by_text("Pronto! Shopee conectado: Loja Exemplo Shopee.")).to_be_visible()
    integration = Integration.objects.get(seller=seller, marketplace="shopee")
    ends = timezone.localtime(integration.authorization_expires_at)
    expect(page.get_by_text(f"Autorização válida até {ends:%d/%m/%Y}", exact=False)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Loja Exemplo Shopee")
    expect(row.locator(".status")).to_have_text("Ativo")
    page.screenshot(path=f"{SHOTS}/shopee-connected.png", full_page=True)

    # Its token dies; the seller first signs in with another shop, then with the right one.
    Integration.objects.filter(pk=integration.pk).update(status="expired")
    page.reload()
    page.get_by_role("link", name="Ativar token expirado").first.click()
    page.get_by_role("link", name="Shopee").click()
    page.get_by_role("button", name="Sim").click()
    _authorize_on_shopee(page, "casaexemplo")
    expect(page.get_by_text("Você escolheu “Casa Exemplo” na Shopee", exact=False)).to_be_visible()
    page.screenshot(path=f"{SHOTS}/shopee-wrong-shop.png", full_page=True)
    _reactivate(page)
    _authorize_on_shopee(page, "lojaexemplo")
    expect(
        page.get_by_text("Pronto! Seu token da Shopee foi atualizado com sucesso.")
    ).to_be_visible()
    expect(row.locator(".status")).to_have_text("Ativo")
    page.screenshot(path=f"{SHOTS}/shopee-reactivated.png", full_page=True)

    # A main account authorizes three shops at once; the seller connects two of them.
    page.get_by_role("link", name="Conectar Shopee").click()
    page.get_by_role("button", name="Sim").click()
    _authorize_on_shopee(page, "grupoexemplo")
    expect(page.get_by_role("heading", name="Quais contas da Shopee conectar?")).to_be_visible()
    expect(page.get_by_text("já está no hub", exact=False)).to_have_count(1)  # Loja Exemplo
    page.get_by_role("checkbox", name="Exemplo Kids").uncheck()
    page.screenshot(path=f"{SHOTS}/shopee-main-account-choice.png", full_page=True)
    page.get_by_role("button", name="Conectar as contas marcadas").click()
    expect(
        page.get_by_text("Pronto! Shopee conectado: Loja Exemplo Shopee, Casa Exemplo.")
    ).to_be_visible()
    casa = page.get_by_role("row").filter(has_text="Casa Exemplo")
    expect(casa.locator(".status")).to_have_text("Ativo")
    page.screenshot(path=f"{SHOTS}/shopee-main-account-connected.png", full_page=True)
    shops = Integration.objects.filter(seller=seller, marketplace="shopee")
    assert sorted(shops.values_list("external_id", flat=True)) == ["880001", "880003"]
    assert AuthorizationAttempt.objects.filter(outcome="success").count() == 3

    # Orders, read with signed calls from the stand-in's feed.
    assert orders_import(integration_id=integration.pk).outcome == ImportOutcome.IMPORTED
    page.get_by_role("link", name="Pedidos").first.click()
    expect(page.get_by_text(re.compile(r"2601\d{10}SBX")).first).to_be_visible()
    page.screenshot(path=f"{SHOTS}/shopee-orders.png", full_page=True)
    violations = [m for m in page.console_messages if "Content Security Policy" in m]
    assert violations == []
