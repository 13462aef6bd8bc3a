"""The support admin at a 1366 px laptop screen, as a Suporte member: the integrations list fits
without scrolling sideways, the page's actions sit on one row, and "Copiar" copies the link.

Screenshots land in test-artifacts/ (git-ignored) for a person to look at.
"""

import importlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils import timezone
from playwright.sync_api import expect

from integrations.models import IntegrationEvent
from tests.admin import make_attempt, make_event
from tests.browser.conftest import ARTIFACTS
from tests.factories import IntegrationFactory, SellerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "senha-de-teste-123"
Kind = IntegrationEvent.Kind
LONG_ERROR = (
    "O ID Magalu recusou a renovação do token (invalid_grant): o refresh token foi revogado "
    "ou já tinha sido usado; o seller precisa reativar a integração."
)


def _support_member():
    """A Suporte member. The group comes from a migration, which an earlier test running in a
    transaction may have flushed away: then it is rebuilt from the migration's own list."""
    migration = importlib.import_module("hub.migrations.0002_support_group")
    group, created = Group.objects.get_or_create(name=migration.GROUP_NAME)
    if created:
        wanted = Q(pk__in=[])
        for app_label, codenames in migration.PERMISSIONS.items():
            wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
        group.permissions.set(Permission.objects.filter(wanted))
    user = UserFactory(membership=None, is_staff=True, username="suporte")
    user.groups.add(group)
    return user


@pytest.fixture
def busy_hub(live_hub):
    """A list as support sees it on a busy day: long names, both marketplaces, errors."""
    now = timezone.now()
    for n, name in enumerate(
        [
            "Papelaria e Livraria Ipê Comércio de Artigos Escolares",
            "Casa Aurora Utilidades Domésticas",
            "Mercearia Boa Vista Alimentos Naturais e Orgânicos",
            "Loja Exemplo",
        ]
    ):
        seller = SellerFactory(name=name)
        UserFactory(
            username=f"dono{n}",
            first_name="Maria",
            last_name=f"Souza {n}",
            email=f"maria{n}@empresa-com-nome-longo.com.br",
            membership__seller=seller,
        )
        active = IntegrationFactory(
            seller=seller,
            account_name=f"{name} Ltda",
            access_token_expires_at=now + timedelta(minutes=20 + 40 * n),
        )
        expired = IntegrationFactory(
            seller=seller,
            marketplace="mercadolivre",
            external_id=f"12345600{n}",
            account_name=f"LOJA{n}OFICIAL",
            expired=True,
            last_error=LONG_ERROR,
            last_error_at=now - timedelta(hours=n + 1),
        )
        make_event(active, Kind.CONNECTED, ago=timedelta(days=30), details="Conectada pelo seller")
        make_event(active, Kind.REFRESHED, ago=timedelta(minutes=20), details="Token renovado")
        make_event(expired, Kind.EXPIRED, ago=timedelta(hours=n + 1), details=LONG_ERROR)
        make_attempt(
            integration=expired,
            user=seller.memberships.get().user,
            chosen_external_id="987654321",
            chosen_account_name="OUTRALOJA",
        )
    return live_hub


def _log_in(page, live_hub):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_hub}/admin/login/")
    expect(page).to_have_title("Acessar | Hub de Integrações — Suporte")
    page.get_by_label("Usuário").fill("suporte")
    page.get_by_label("Senha").fill(PASSWORD)
    page.get_by_role("button", name="Acessar").click()
    expect(page.locator("#site-name")).to_have_text("Hub de Integrações — Suporte")


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _results_scroll(page) -> int:
    """How far the list's own box scrolls sideways (Django lets a wide table scroll inside it)."""
    return page.evaluate(
        "(box => box.scrollWidth - box.clientWidth)(document.querySelector('.results'))"
    )


def test_integration_list_and_page_at_1366_px(busy_hub, page):
    _support_member()
    ARTIFACTS.mkdir(exist_ok=True)
    _log_in(page, busy_hub)

    page.goto(f"{busy_hub}/admin/integrations/integration/")
    expect(page.locator("#result_list tbody tr")).to_have_count(8)
    page.screenshot(path=ARTIFACTS / "admin-integration-list-1366.png", full_page=True)
    assert _scroll_width(page) <= 1366
    assert _results_scroll(page) == 0
    page.set_viewport_size({"width": 1400, "height": 800})
    assert _scroll_width(page) <= 1400
    assert _results_scroll(page) == 0
    page.set_viewport_size({"width": 1366, "height": 768})
    action = page.get_by_label("Ação:")
    expect(action.locator("option").first).to_have_text("Selecione uma ação")
    expect(page.get_by_text("Magazine Luiza").first).to_be_visible()

    page.get_by_role("link", name="LOJA0OFICIAL").click()
    tools = page.locator(".object-tools li")
    expect(tools).to_have_text(["Enviar link de reativação…", "Desconectar…", "Histórico completo"])
    copied = page.get_by_role("button", name="Copiar")
    expect(copied).to_be_visible()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=busy_hub)
    copied.click()
    expect(page.get_by_role("status").filter(has_text="Copiado.")).to_be_visible()
    expected_link = page.get_by_label("Link de reativação").input_value()
    assert page.evaluate("navigator.clipboard.readText()") == expected_link
    assert expected_link.startswith(busy_hub) and "integracao=" in expected_link
    expect(page.get_by_text("maria0@empresa-com-nome-longo.com.br")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "admin-integration-page-expired-1366.png", full_page=True)
    assert _scroll_width(page) <= 1366

    page.go_back()
    page.get_by_role(
        "link", name="Papelaria e Livraria Ipê Comércio de Artigos Escolares Ltda"
    ).click()
    expect(tools).to_have_text(
        [
            "Renovar agora…",
            "Marcar como Token Expirado…",
            "Desconectar…",
            "Histórico completo",
        ]
    )
    tops = tools.evaluate_all("items => items.map(item => item.getBoundingClientRect().top)")
    assert len(set(tops)) == 1, "the actions wrap onto a second row"
    page.screenshot(path=ARTIFACTS / "admin-integration-page-active-1366.png", full_page=True)
    assert _scroll_width(page) <= 1366
    violations = [m for m in page.console_messages if "Content Security Policy" in m]
    assert violations == []


def test_the_list_shows_trouble_first_with_each_health_in_words(live_hub, page):
    from integrations.models import Integration
    from integrations.orders.models import OrderPulse

    _support_member()
    ARTIFACTS.mkdir(exist_ok=True)
    now = timezone.now()
    seller = SellerFactory(name="Papelaria Ipê")
    ok = IntegrationFactory(seller=seller, account_name="Ipê Matriz Ltda")
    OrderPulse.objects.create(integration=ok, last_import_at=now, last_import_new_orders=3)
    IntegrationFactory(
        seller=seller,
        account_name="Ipê Antiga Ltda",
        status=Integration.Status.DISCONNECTED,
        access_token_expires_at=None,
    )
    silent = IntegrationFactory(seller=seller, account_name="Ipê Outlet Ltda")
    OrderPulse.objects.create(
        integration=silent, last_import_at=now, silent_since=now - timedelta(hours=30)
    )
    failing = IntegrationFactory(
        seller=seller,
        marketplace="mercadolivre",
        external_id="123456001",
        account_name="IPEOFICIAL",
    )
    OrderPulse.objects.create(
        integration=failing,
        import_failing_since=now - timedelta(hours=2),
        last_import_error="serviço indisponível (HTTP 500)",
        last_import_failure=OrderPulse.Failure.TEMPORARY,
    )
    IntegrationFactory(seller=seller, account_name="Ipê Filial Ltda", expired=True)
    _log_in(page, live_hub)

    page.goto(f"{live_hub}/admin/integrations/integration/")

    states = page.locator("#result_list [data-health]")
    expect(states).to_have_count(5)
    assert [states.nth(i).get_attribute("data-health") for i in range(5)] == [
        "expired",
        "import_failing",
        "silent",
        "ok",
        "disconnected",
    ]
    expect(page.get_by_text("Falha ao importar pedidos desde")).to_be_visible()
    page.screenshot(
        path=ARTIFACTS / "admin-integration-list-trouble-first-1366.png", full_page=True
    )
    assert _results_scroll(page) == 0

    page.get_by_role("link", name="Falhando (Ativo)").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

    page.goto(f"{live_hub}/admin/integrations/integration/{ok.pk}/acao/desconectar/")
    page.get_by_role("button", name="Sim, desconectar").click()  # the browser asks first
    expect(page.get_by_label("Motivo")).to_be_visible()
    page.get_by_label("Motivo").fill("Empresa pediu por e-mail")
    page.screenshot(path=ARTIFACTS / "admin-disconnect-reason-1366.png", full_page=True)
    page.get_by_role("button", name="Sim, desconectar").click()
    expect(page.get_by_text("Desconectada(s): tokens apagados, histórico mantido")).to_be_visible()
