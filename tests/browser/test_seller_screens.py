"""The seller's screens in a real browser at 1280 px, 1400 px and on a phone: the Marketplaces
catalogue and its status lines, the quiet state, history pages and filters, disconnecting with a
confirmation, the breadcrumb and footer, a replayed return, and "Esqueci minha senha".

Screenshots land in test-artifacts/ to be looked at."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from integrations.models import Integration, IntegrationEvent
from integrations.services.events import event_record
from tests.browser.conftest import ARTIFACTS
from tests.factories import IntegrationFactory, SellerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEST_PASSWORD = "senha-de-teste-123"  # the factories' password
LOJA = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000101"
SIZES = {"1280": (1280, 800), "1400": (1400, 900), "mobile": (390, 844)}


def _log_in(page, live_hub, username="maria", password=TEST_PASSWORD) -> None:
    page.goto(f"{live_hub}/entrar/")
    page.get_by_label("Usuário").fill(username)
    page.get_by_label("Senha", exact=True).fill(password)
    page.get_by_role("button", name="Entrar").click()


def _fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def seller():
    seller = SellerFactory(name="Loja Exemplo")
    UserFactory(username="maria", email="maria@loja.com.br", membership__seller=seller)
    return seller


@pytest.mark.parametrize("size", list(SIZES))
def test_marketplaces_catalogue_says_why_and_what_to_do(live_hub, page, seller, size):
    now = timezone.now()
    IntegrationFactory(
        seller=seller,
        account_name="Loja Exemplo Ltda",
        account_document="12.***.***/0001-**",
        last_renewed_at=now - timedelta(minutes=12),
        last_error="HTTP 503",
        last_error_at=now - timedelta(minutes=1),
        refresh_retry_at=now + timedelta(minutes=5),
    )
    IntegrationFactory(
        seller=seller,
        marketplace="mercadolivre",
        account_name="LOJAEXEMPLO",
        expired=True,
        expiry_cause=Integration.ExpiryCause.REVOKED,
    )
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    _log_in(page, live_hub)

    retry = f"{timezone.localtime(now + timedelta(minutes=5)):%H:%M}"
    expect(
        page.get_by_text(f"Renovação com falha temporária, nova tentativa às {retry}")
    ).to_be_visible()
    expect(
        page.get_by_text("A autorização foi revogada ou venceu no Mercado Livre")
    ).to_be_visible()
    expect(page.get_by_text("última renovação há 12 minutos")).to_be_visible()
    expect(page.get_by_role("link", name="Ativar token expirado").first).to_be_visible()
    expect(page.get_by_role("link", name="Conectar Magazine Luiza")).to_be_visible()
    expect(page.get_by_role("link", name="Conectar Mercado Livre")).to_be_visible()
    assert "Token expira em" not in page.content()
    # Connected accounts come first, the catalogue after them; the expired account leads.
    rows = page.locator("table.integrations tbody tr")
    expect(rows.first).to_contain_text("LOJAEXEMPLO")
    # Every logo loads (waited for: the page may be checked before its images have arrived).
    assert page.locator("img.marketplace__logo").count() > 0
    page.wait_for_function(
        "[...document.querySelectorAll('img.marketplace__logo')]"
        ".every(image => image.complete && image.naturalWidth > 0)",
        timeout=5000,
    )
    assert _fits_the_width(page)
    page.screenshot(path=ARTIFACTS / f"seller-marketplaces-{size}.png", full_page=True)


def test_nothing_expired_is_a_quiet_state_without_the_primary_button(live_hub, page, seller):
    IntegrationFactory(seller=seller, account_name="Loja Exemplo Ltda")
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, live_hub)

    expect(page.get_by_text("Todas as integrações estão ativas.")).to_be_visible()
    expect(page.get_by_role("link", name="Ativar token expirado")).to_have_count(0)
    expect(page.get_by_text("Renovação automática")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "seller-marketplaces-quiet-1280.png", full_page=True)

    # The breadcrumb's items are links; the footer reaches support.
    page.get_by_role("navigation", name="Você está em").get_by_role(
        "link", name="Integrações"
    ).click()
    expect(page.get_by_role("heading", name="Integrações")).to_be_visible()
    page.get_by_role("navigation", name="Você está em").get_by_role(
        "link", name="Configurações"
    ).click()
    expect(page.get_by_role("heading", name="Configurações")).to_be_visible()
    footer = page.get_by_role("link", name="Fale com o nosso suporte")
    assert footer.get_attribute("href") == "mailto:suporte@hub.localhost"


def test_history_pages_and_filters_then_disconnect_with_confirmation(live_hub, page, seller):
    integration = IntegrationFactory(seller=seller, account_name="Loja Exemplo Ltda")
    event_record(integration=integration, kind=IntegrationEvent.Kind.CONNECTED)
    for _ in range(30):
        event_record(integration=integration, kind=IntegrationEvent.Kind.REFRESHED)
    event_record(integration=integration, kind=IntegrationEvent.Kind.REFRESH_FAILED)
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, live_hub)

    page.get_by_role("link", name="Histórico").click()
    expect(page.get_by_text("Página 1 de 2 · 32 registros")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "seller-history-1280.png", full_page=True)
    page.get_by_role("link", name="Mais antigos").click()
    expect(page.get_by_text("Integração conectada")).to_be_visible()
    page.get_by_role("link", name="Problemas").click()
    expect(page.locator("ul.history li")).to_have_count(1)
    expect(page.locator("ul.history")).to_contain_text("Falha temporária ao renovar o token")

    page.get_by_role("link", name="Desconectar esta integração").click()
    expect(
        page.get_by_role("heading", name=re.compile("Desconectar Magazine Luiza"))
    ).to_be_visible()
    page.screenshot(path=ARTIFACTS / "seller-disconnect-confirm-1280.png", full_page=True)
    assert Integration.objects.get(pk=integration.pk).has_tokens  # asking changed nothing
    page.get_by_role("button", name="Sim, desconectar").click()

    expect(
        page.get_by_text("Integração “Loja Exemplo Ltda” desconectada.", exact=False)
    ).to_be_visible()
    integration.refresh_from_db()
    assert not integration.has_tokens
    assert integration.status == Integration.Status.DISCONNECTED
    expect(
        page.get_by_text(
            "Desconectada: o hub não guarda tokens desta conta nem lê os pedidos dela."
        )
    ).to_be_visible()


def test_a_replayed_return_says_nothing_changed(live_hub, page, seller):
    IntegrationFactory(
        seller=seller, external_id=LOJA, account_name="Loja Exemplo Ltda", expired=True
    )
    returns = []
    page.on("request", lambda request: "/retorno/" in request.url and returns.append(request.url))
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, live_hub)

    page.get_by_role("link", name="Reativar").click()
    page.get_by_role("button", name="Sim").click()
    page.get_by_label("E-mail").fill("demo@sandbox.localhost")
    page.get_by_label("Senha").fill("demo12345")
    page.get_by_role("button", name="Entrar").click()
    page.get_by_label(re.compile("Loja Exemplo Ltda")).check()
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_text("Pronto! Seu token Magalu foi atualizado com sucesso.")).to_be_visible()

    page.goto(returns[-1])  # the back button, a reloaded tab, a link opened twice
    expect(page.get_by_role("heading", name="Nada mudou")).to_be_visible()
    expect(
        page.get_by_text("A integração Magazine Luiza “Loja Exemplo Ltda” continua ativa.")
    ).to_be_visible()
    expect(page.get_by_text("Autorização inválida ou expirada")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "seller-replayed-return-1280.png", full_page=True)


def test_forgotten_password_by_email(live_hub, page, seller):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_hub}/entrar/")
    page.get_by_role("link", name="Esqueci minha senha").click()
    page.get_by_label("E-mail").fill("maria@loja.com.br")
    page.get_by_role("button", name="Enviar link").click()
    expect(page.get_by_role("heading", name="Verifique seu e-mail")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "seller-password-reset-sent-mobile.png", full_page=True)

    [link] = re.findall(r"https?://\S+", mail.outbox[0].body)
    page.goto(link)
    page.get_by_label("Nova senha", exact=True).fill("um-cavalo-azul-correu-43")
    page.get_by_label("Repita a nova senha").fill("um-cavalo-azul-correu-43")
    page.get_by_role("button", name="Salvar nova senha").click()
    expect(page.get_by_role("heading", name="Senha alterada")).to_be_visible()
    assert _fits_the_width(page)

    _log_in(page, live_hub, password="um-cavalo-azul-correu-43")
    expect(page.get_by_role("heading", name="Marketplaces")).to_be_visible()
