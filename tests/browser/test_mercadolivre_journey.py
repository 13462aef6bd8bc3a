"""Mercado Livre in a real browser: connect an account, then reactivate it after signing in first
with an operator login and then with the wrong account."""

import re

import pytest
from playwright.sync_api import expect

from integrations.models import AuthorizationAttempt, Integration
from tests.factories import SellerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "test-artifacts"


def _log_in(page, live_hub) -> None:
    page.goto(f"{live_hub}/entrar/")
    page.get_by_label("Usuário").fill("maria")
    page.get_by_label("Senha").fill("senha-de-teste-123")
    page.get_by_role("button", name="Entrar").click()


def _sign_in_on_mercado_livre(page, login: str) -> None:
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/sandbox/mercadolivre/"))
    page.get_by_label("E-mail ou usuário").fill(login)
    page.get_by_label("Senha").fill("demo12345")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_text(f"Conta: {login}", exact=False)).to_be_visible()
    page.get_by_role("button", name="Permitir").click()


def test_connect_then_reactivate_through_an_operator_and_a_wrong_account(live_hub, page):
    seller = SellerFactory(name="Loja Exemplo")
    UserFactory(username="maria", membership__seller=seller)
    _log_in(page, live_hub)

    # Connect: the catalogue's "Conectar" on Mercado Livre → Sim → sign in as the administrator.
    page.get_by_role("link", name="Conectar Mercado Livre").click()
    expect(page.get_by_text("só o administrador da conta", exact=False)).to_be_visible()
    page.screenshot(path=f"{SHOTS}/ml-connect-confirm.png", full_page=True)
    page.get_by_role("button", name="Sim").click()
    _sign_in_on_mercado_livre(page, "LOJAEXEMPLO")
    expect(page.get_by_text("Pronto! Mercado Livre conectado: LOJAEXEMPLO.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="LOJAEXEMPLO")
    expect(row.locator(".status")).to_have_text("Ativo")
    integration = Integration.objects.get(seller=seller, marketplace="mercadolivre")
    assert integration.external_id == "123456001"

    # Its token dies; reactivation with an operator login is refused with the right words.
    Integration.objects.filter(pk=integration.pk).update(status="expired")
    page.reload()
    page.get_by_role("link", name="Ativar token expirado").first.click()
    page.get_by_role("link", name="Mercado Livre").click()
    page.get_by_role("button", name="Sim").click()
    page.get_by_role("button", name="Sair").click()  # LOJAEXEMPLO is still signed in there
    _sign_in_on_mercado_livre(page, "LOJAEXEMPLO.OPERADOR")
    expect(page.get_by_text("usuário operador ou colaborador", exact=False)).to_be_visible()
    page.screenshot(path=f"{SHOTS}/ml-operator-refused.png", full_page=True)
    assert AuthorizationAttempt.objects.filter(outcome="operator_login").exists()

    # Then the wrong account, then the right one.
    page.get_by_role("link", name="Tentar novamente").click()
    page.get_by_role("button", name="Sim").click()
    page.get_by_role("button", name="Sair").click()
    _sign_in_on_mercado_livre(page, "CASAEXEMPLO")
    expect(
        page.get_by_text("Você escolheu “CASAEXEMPLO” no Mercado Livre", exact=False)
    ).to_be_visible()
    # The way out: the marketplace's page to sign out there (a new tab), then try again.
    sign_out = page.get_by_role("link", name="Sair da conta no Mercado Livre")
    assert sign_out.get_attribute("href").endswith("/sandbox/mercadolivre/")
    assert sign_out.get_attribute("target") == "_blank"
    expect(page.locator("tr.row--highlight")).to_have_count(0)  # a refusal lights up nothing
    page.get_by_role("link", name="Tentar novamente").click()
    page.get_by_role("button", name="Sim").click()
    page.get_by_role("button", name="Sair").click()
    _sign_in_on_mercado_livre(page, "LOJAEXEMPLO")

    expect(
        page.get_by_text("Pronto! Seu token do Mercado Livre foi atualizado com sucesso.")
    ).to_be_visible()
    expect(row.locator(".status")).to_have_text("Ativo")
    expect(page.get_by_text("Conta: LOJAEXEMPLO.", exact=False)).to_be_visible()
    expect(page.locator(f"#integracao-{integration.pk}")).to_have_class("row--highlight")
    page.screenshot(path=f"{SHOTS}/ml-reactivated.png", full_page=True)
    assert Integration.objects.get(pk=integration.pk).is_active
    violations = [m for m in page.console_messages if "Content Security Policy" in m]
    assert violations == []
