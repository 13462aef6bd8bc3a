"""Configurações, Integrações, an integration's history (pages and filters), the breadcrumb and
the footer: what a seller navigates through around the Marketplaces page."""

import re

import pytest
from django.urls import reverse

from integrations.models import IntegrationEvent
from integrations.services.events import event_record
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = IntegrationEvent.Kind


def _history(client, integration, query: str = "") -> str:
    response = client.get(reverse("integrations:history", args=[integration.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def _entries(html: str) -> list[str]:
    return re.findall(
        r"<li[^>]*><time[^>]*>[^<]*</time><span>(?:<span[^>]*></span> )?([^<]*)", html
    )


def test_history_is_paginated_newest_first_and_keeps_every_entry(seller_client, seller):
    integration = IntegrationFactory(seller=seller)
    for number in range(60):
        event_record(integration=integration, kind=Kind.REFRESHED, details=str(number))

    first, second, third = (_history(seller_client, integration, f"?pagina={n}") for n in (1, 2, 3))

    assert [len(_entries(page)) for page in (first, second, third)] == [25, 25, 10]
    assert "Página 1 de 3 · 60 registros" in first
    assert "Mais antigos" in first and "Mais recentes" not in first
    assert "Mais recentes" in third and "Mais antigos" not in third
    # A page number that is not one lands on the nearest page instead of failing.
    assert "Página 1 de 3" in _history(seller_client, integration, "?pagina=abc")
    assert "Página 3 de 3" in _history(seller_client, integration, "?pagina=999")


def test_history_filters_by_kind_and_keeps_the_filter_across_pages(seller_client, seller):
    integration = IntegrationFactory(seller=seller)
    event_record(integration=integration, kind=Kind.CONNECTED)
    for _ in range(30):
        event_record(integration=integration, kind=Kind.REFRESH_FAILED, details="HTTP 503")
    event_record(integration=integration, kind=Kind.REFRESHED)

    problems = _history(seller_client, integration, "?tipo=problemas")
    connections = _history(seller_client, integration, "?tipo=conexoes")

    assert set(_entries(problems)) == {"Falha temporária ao renovar o token; o hub tentará de novo"}
    assert "?tipo=problemas&amp;pagina=2" in problems
    assert 'href="?tipo=problemas" aria-current="true"' in problems
    assert _entries(connections) == ["Integração conectada"]
    assert "Nada deste tipo no histórico" in _history(seller_client, integration, "?tipo=suporte")


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("?tipo=nada", "Esse filtro do histórico não existe"),
        ("?tipo=problemas&tipo=pedidos", "Esse filtro do histórico não existe"),
        ("?tipo=%00", "caractere nulo"),
    ],
)
def test_an_unknown_history_filter_is_a_clear_400(seller_client, seller, query, said):
    integration = IntegrationFactory(seller=seller)
    response = seller_client.get(reverse("integrations:history", args=[integration.pk]) + query)
    assert response.status_code == 400
    assert said in response.content.decode()


def test_history_says_who_acted(seller_client, seller, seller_user):
    integration = IntegrationFactory(seller=seller)
    support_user = UserFactory(is_staff=True, membership=None)
    colleague = UserFactory(membership__seller=seller, first_name="Bruna", last_name="Lima")
    event_record(integration=integration, kind=Kind.REAUTHORIZED, actor=seller_user)
    event_record(integration=integration, kind=Kind.DISCONNECTED, actor=colleague)
    event_record(integration=integration, kind=Kind.REAUTHORIZED, actor=support_user)

    assert _entries(_history(seller_client, integration)) == [
        "Token reativado, pela equipe de suporte",
        "Integração desconectada: os tokens foram apagados, por Bruna Lima",
        "Token reativado, por você",
    ]


def test_settings_and_integrations_pages_lead_to_marketplaces(seller_client, seller):
    IntegrationFactory(seller=seller)
    IntegrationFactory(seller=seller, expired=True)

    settings_page = seller_client.get(reverse("settings")).content.decode()
    index = seller_client.get(reverse("integrations:index")).content.decode()

    assert f'href="{reverse("integrations:index")}"' in settings_page
    assert f'href="{reverse("password_change")}"' in settings_page
    assert '1 ativa · <strong class="count--expired">1 com token expirado</strong>' in index
    assert f'class="button button--primary" href="{reverse("integrations:marketplaces")}"' in index


def test_every_breadcrumb_item_but_the_current_one_is_a_link(seller_client, seller):
    integration = IntegrationFactory(seller=seller)
    html = _history(seller_client, integration)
    crumbs = re.search(r'<nav class="breadcrumb".*?</nav>', html, re.S).group(0)

    for name in ("settings", "integrations:index", "integrations:marketplaces"):
        assert f'href="{reverse(name)}"' in crumbs
    assert '<li aria-current="page">Histórico</li>' in crumbs


def test_the_footer_links_to_the_configured_support_address(seller_client, settings):
    settings.SUPPORT_URL = "https://ajuda.example.com.br/hub"
    html = seller_client.get(reverse("integrations:marketplaces")).content.decode()
    assert '<a href="https://ajuda.example.com.br/hub">Fale com o nosso suporte</a>' in html


def test_pages_need_a_login(client, db):
    for name in ("settings", "integrations:index", "password_change"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
