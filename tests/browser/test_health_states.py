"""Each state of an account's health on the Marketplaces page, both marketplaces, on a desktop
and on a phone: its badge, its line, its next step, trouble first; removing a disconnected
account from the list; the Pedidos page on a phone.

Screenshots land in test-artifacts/ to be looked at."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hub.moments import hhmm
from integrations.models import Integration, IntegrationEvent
from integrations.orders.models import Order, OrderPulse
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_seller_screens import SIZES, _fits_the_width, _log_in
from tests.factories import IntegrationFactory, SellerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seller():
    seller = SellerFactory(name="Loja Exemplo")
    UserFactory(username="maria", email="maria@loja.com.br", membership__seller=seller)
    return seller


def _every_state(seller) -> dict[str, Integration]:
    now = timezone.now()
    healthy = IntegrationFactory(seller=seller, account_name="Loja Saudável Ltda")
    OrderPulse.objects.create(
        integration=healthy,
        last_import_at=now - timedelta(minutes=3),
        last_import_new_orders=3,
        last_order_at=now - timedelta(minutes=20),
    )
    failing = IntegrationFactory(
        seller=seller, marketplace="mercadolivre", account_name="LOJAFALHA"
    )
    OrderPulse.objects.create(
        integration=failing,
        last_import_at=now - timedelta(minutes=1),
        last_import_error="Mercado Livre: serviço indisponível (HTTP 500)",
        last_import_failure=OrderPulse.Failure.TEMPORARY,
        import_failing_since=now - timedelta(hours=2),
    )
    silent = IntegrationFactory(seller=seller, account_name="Loja Quieta Ltda")
    OrderPulse.objects.create(
        integration=silent,
        last_import_at=now - timedelta(minutes=2),
        last_order_at=now - timedelta(hours=9),
        silent_since=now - timedelta(hours=9),
    )
    expired = IntegrationFactory(
        seller=seller,
        marketplace="mercadolivre",
        account_name="LOJAEXPIRADA",
        expired=True,
        expiry_cause=Integration.ExpiryCause.LOST_ROTATION,
    )
    disconnected = IntegrationFactory(
        seller=seller,
        account_name="Loja Antiga Ltda",
        expired=True,
        status=Integration.Status.DISCONNECTED,
    )
    return {
        "expired": expired,
        "import_failing": failing,
        "silent": silent,
        "ok": healthy,
        "disconnected": disconnected,
    }


@pytest.mark.parametrize("size", ["1366", "mobile"])
def test_every_health_state_with_its_words_and_next_step(live_hub, page, seller, size):
    SIZES.setdefault("1366", (1366, 768))
    rows = _every_state(seller)
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    _log_in(page, live_hub)

    table = page.locator("table.integrations tbody tr")
    # Trouble first, the disconnected last.
    assert [table.nth(i).get_attribute("data-health") for i in range(5)] == list(rows)

    expired = page.locator(f"#integracao-{rows['expired'].pk}")
    expect(expired).to_contain_text("Token Expirado")
    expect(expired).to_contain_text("Renovação perdida")
    expect(expired.get_by_role("link", name="Reativar")).to_be_visible()

    failing = page.locator(f"#integracao-{rows['import_failing'].pk}")
    since = hhmm(rows["import_failing"].order_pulse.import_failing_since)
    expect(failing).to_contain_text(f"Falha ao importar pedidos desde {since}")
    expect(failing).to_contain_text("HTTP 500")
    expect(failing).to_contain_text("O hub tenta de novo automaticamente a cada 5 minutos.")
    support = failing.get_by_role("link", name="Fale com o suporte")
    assert str(rows["import_failing"].public_id) in support.get_attribute("href")
    expect(failing.locator(".dot--notice")).to_have_count(1)  # not plainly green

    silent = page.locator(f"#integracao-{rows['silent'].pk}")
    expect(silent).to_contain_text("Sem pedidos novos há 9 horas")
    expect(silent.get_by_role("link", name="Ver pedidos desta conta")).to_be_visible()

    healthy = page.locator(f"#integracao-{rows['ok'].pk}")
    expect(healthy).to_contain_text("Renovação automática")
    expect(healthy).to_contain_text("3 pedidos novos")
    expect(healthy.locator(".dot--active")).to_have_count(1)

    disconnected = page.locator(f"#integracao-{rows['disconnected'].pk}")
    expect(disconnected).to_contain_text("Desconectada")
    expect(disconnected.get_by_role("link", name="Reconectar")).to_be_visible()
    # One expired account counts; the disconnected one raises no alarm.
    expect(page.get_by_role("link", name="Ativar token expirado 1")).to_be_visible()
    assert _fits_the_width(page)
    page.screenshot(path=ARTIFACTS / f"seller-health-states-{size}.png", full_page=True)

    disconnected.get_by_role("button", name="Remover da lista").click()
    expect(page.get_by_text("“Loja Antiga Ltda” (Magazine Luiza) saiu da lista.")).to_be_visible()
    expect(page.locator(f"#integracao-{rows['disconnected'].pk}")).to_have_count(0)
    kinds = rows["disconnected"].events.values_list("kind", flat=True)
    assert IntegrationEvent.Kind.REMOVED_FROM_LIST in kinds


def test_without_expired_accounts_the_banner_stays_away(live_hub, page, seller):
    IntegrationFactory(
        seller=seller, expired=True, status=Integration.Status.DISCONNECTED, account_name="Ida"
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, live_hub)

    expect(page.get_by_text("seus pedidos podem não estar chegando")).to_have_count(0)
    expect(page.get_by_role("link", name="Ativar token expirado")).to_have_count(0)


def test_the_pedidos_page_on_a_phone(live_hub, page, seller):
    integration = IntegrationFactory(seller=seller, account_name="Loja Exemplo Comércio Ltda")
    now = timezone.now()
    Order.objects.bulk_create(
        Order(
            integration=integration,
            seller=seller,
            marketplace="magalu",
            marketplace_order_id=f"id-{n}",
            code=f"LU-{1000 + n}-98765432",
            status=Order.Status.PAID,
            status_raw="approved",
            total="1234.56",
            currency="BRL",
            created_at=now - timedelta(hours=n),
            updated_at=now - timedelta(hours=n),
        )
        for n in range(8)
    )
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, live_hub)
    page.goto(f"{live_hub}/pedidos/")

    filters = page.get_by_role("group").or_(page.locator("details.filters-panel"))
    expect(page.get_by_label("Status")).to_be_hidden()  # collapsed behind one button
    page.get_by_text("Filtros", exact=True).click()
    expect(page.get_by_label("Status")).to_be_visible()
    assert filters.count() >= 1
    assert _fits_the_width(page)
    first = page.locator("table.orders tbody tr").first
    assert first.bounding_box()["height"] < 110  # compact: three short lines
    page.screenshot(path=ARTIFACTS / "seller-pedidos-mobile.png", full_page=True)


def test_the_marketplaces_header_leaves_the_phone_screen_to_the_accounts(live_hub, page, seller):
    _every_state(seller)
    page.set_viewport_size({"width": 390, "height": 844})
    _log_in(page, live_hub)
    table = page.locator("table.integrations")
    table.wait_for()  # drawn at the new size before it is captured

    page.screenshot(path=ARTIFACTS / "seller-marketplaces-phone-first-screen.png")
    table_top = table.bounding_box()["y"]
    assert table_top < 844 / 3


def test_the_account_chooser_at_1366_by_768(live_hub, page, seller):
    for name in ("Loja Exemplo Ltda", "Loja Exemplo Filial Sul Ltda"):
        IntegrationFactory(
            seller=seller,
            account_name=name,
            expired=True,
            expiry_cause=Integration.ExpiryCause.REVOKED,
        )
    page.set_viewport_size({"width": 1366, "height": 768})
    _log_in(page, live_hub)
    page.goto(f"{live_hub}/configuracoes/integracoes/marketplaces/ativar-token/magalu/")

    radio = page.get_by_role("radio").first
    label = page.locator("label.choice").first.locator(".account-name")
    radio_box, label_box = radio.bounding_box(), label.bounding_box()
    # The radio sits beside its label, on the label's first line.
    assert radio_box["x"] + radio_box["width"] <= label_box["x"]
    assert abs((radio_box["y"] + radio_box["height"] / 2) - (label_box["y"] + 12)) < 16
    for name in ("Sim", "Não"):
        box = page.get_by_role("button", name=name).or_(page.get_by_role("link", name=name))
        bounds = box.first.bounding_box()
        assert bounds["y"] + bounds["height"] <= 768, name  # visible without scrolling
    page.screenshot(path=ARTIFACTS / "seller-reactivate-choose-account-1366x768.png")
