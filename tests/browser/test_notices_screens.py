"""The bell and the notices' list in a real browser, at 1366 px and on a phone (390 px)."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from integrations.models import Integration
from integrations.notices.models import Cause
from integrations.notices.services import notify
from integrations.services.lifecycle import integration_mark_expired
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_seller_screens import _fits_the_width, _log_in
from tests.factories import IntegrationFactory, SellerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def seller():
    seller = SellerFactory(name="Loja Exemplo")
    UserFactory(username="maria", email="maria@loja.com.br", membership__seller=seller)
    return seller


@pytest.mark.parametrize("size", list(SIZES))
def test_the_bell_counts_and_the_list_reads(live_hub, page, seller, size):
    magalu = IntegrationFactory(seller=seller, account_name="Loja Exemplo Ltda")
    ml = IntegrationFactory(seller=seller, marketplace="mercadolivre", account_name="EXEMPLOOUTLET")
    # Outside a test transaction, on_commit runs at once: as in production.
    integration_mark_expired(
        integration_id=magalu.pk,
        reason="Magazine Luiza recusou a renovação do token (invalid_grant).",
        cause=Integration.ExpiryCause.REVOKED,
    )
    notify(integration=ml, cause=Cause.IMPORT_FAILING, details="serviço indisponível (HTTP 500)")
    notify(integration=ml, cause=Cause.SILENCE, details="Sem pedidos novos há 9 h.")
    assert len(mail.outbox) == 3

    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    # The e-mail as a mail client without images shows it: one green button, nothing cut off.
    expired = next(m for m in mail.outbox if m.subject.startswith("Token expirado"))
    page.set_content(expired.alternatives[0].content)
    expect(page.get_by_role("link", name="Reativar integração")).to_be_visible()
    assert _fits_the_width(page)
    page.screenshot(path=ARTIFACTS / f"notices-email-{size}.png", full_page=True)

    _log_in(page, live_hub)
    bell = page.get_by_role("link", name="Notificações, 3 não lidas")
    expect(bell).to_be_visible()
    page.screenshot(path=ARTIFACTS / f"notices-bell-{size}.png")

    bell.click()
    expect(page.get_by_role("heading", name="Notificações")).to_be_visible()
    expect(page.locator(".notice")).to_have_count(3)
    expect(page.locator(".notice__title").first).to_have_text(
        "Sem pedidos novos: Mercado Livre · EXEMPLOOUTLET"
    )
    assert _fits_the_width(page)
    page.screenshot(path=ARTIFACTS / f"notices-list-{size}.png", full_page=True)

    page.get_by_role("link", name="Reativar integração").click()
    expect(page).to_have_url(
        f"{live_hub}/configuracoes/integracoes/marketplaces/ativar-token/magalu/?integracao={magalu.pk}"
    )
    expect(page.get_by_role("link", name="Notificações, 2 não lidas")).to_be_visible()

    page.goto(f"{live_hub}/notificacoes/")
    page.get_by_role("button", name="Marcar todas como lidas").click()
    expect(page.get_by_text("Todas as notificações foram marcadas como lidas.")).to_be_visible()
    expect(page.get_by_role("link", name="Notificações, nenhuma não lida")).to_be_visible()
