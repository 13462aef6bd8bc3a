"""The help article's journey in a real browser, by visible text."""

import re

import pytest
from playwright.sync_api import expect

from integrations.models import Integration, IntegrationEvent
from tests.factories import IntegrationFactory, SellerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOJA = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000101"


def test_reactivate_expired_token_wrong_then_right_pessoa_juridica(live_hub, page):
    seller = SellerFactory(name="Loja Exemplo")
    UserFactory(username="maria", membership__seller=seller)
    integration = IntegrationFactory(
        seller=seller, external_id=LOJA, account_name="Loja Exemplo Ltda", expired=True
    )

    page.goto(f"{live_hub}/entrar/")
    page.get_by_label("Usuário").fill("maria")
    page.get_by_label("Senha").fill("senha-de-teste-123")
    page.get_by_role("button", name="Entrar").click()

    row = page.get_by_role("row").filter(has_text="Loja Exemplo Ltda")
    expect(row.locator(".status")).to_have_text("Token Expirado")

    page.get_by_role("link", name="Ativar token expirado").first.click()
    page.get_by_role("link", name="Magazine Luiza").click()
    expect(page.get_by_text("acesso Master do Magalu", exact=False)).to_be_visible()
    page.get_by_role("button", name="Sim").click()

    # On the stand-in ("ID Magalu"), another origin.
    expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/sandbox/idmagalu/"))
    page.get_by_label("E-mail").fill("demo@sandbox.localhost")
    page.get_by_label("Senha").fill("demo12345")
    page.get_by_role("button", name="Entrar").click()
    page.get_by_label(re.compile("Casa Exemplo Distribuidora Ltda")).check()
    page.get_by_role("button", name="Continuar").click()

    # Back on the hub: refused, nothing changed.
    expect(
        page.get_by_text("Você escolheu “Casa Exemplo Distribuidora Ltda”", exact=False)
    ).to_be_visible()
    expect(
        page.get_by_text("esta integração é da conta “Loja Exemplo Ltda”", exact=False)
    ).to_be_visible()
    expect(row.locator(".status")).to_have_text("Token Expirado")
    assert Integration.objects.get(pk=integration.pk).status == Integration.Status.EXPIRED

    page.get_by_role("link", name="Tentar novamente").click()
    page.get_by_role("button", name="Sim").click()
    page.get_by_label(re.compile("Loja Exemplo Ltda")).check()
    page.get_by_role("button", name="Continuar").click()

    expect(page).to_have_url(
        re.compile(r"^http://localhost:\d+/configuracoes/integracoes/marketplaces/$")
    )
    expect(page.get_by_text("Pronto! Seu token Magalu foi atualizado com sucesso.")).to_be_visible()
    expect(row.locator(".status")).to_have_text("Ativo")
    integration.refresh_from_db()
    assert integration.status == Integration.Status.ACTIVE
    assert integration.events.filter(kind=IntegrationEvent.Kind.REAUTHORIZED).exists()
    violations = [m for m in page.console_messages if "Content Security Policy" in m]
    assert violations == []
