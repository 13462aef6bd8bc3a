"""Every admin page, for a Suporte member and for a superuser, reads in Portuguese.

Django's own strings are translated by LANGUAGE_CODE=pt-br; an English one that has a pt-BR
translation showing up means a label of ours, or of a third-party app, bypassed the catalog.
"""

import pytest
from django.test import Client
from django.urls import reverse

from integrations.admin.actions import SUPPORT_ACTIONS
from integrations.models import IntegrationEvent
from tests.admin import admin_url, make_attempt, make_event, make_login_records
from tests.admin.crawl import admin_pages, support_pages
from tests.factories import IntegrationFactory, SellerFactory, UserFactory
from tests.portuguese import english_on, translated_english, translated_words, visible_text

pytestmark = pytest.mark.django_db


def test_the_catalog_gives_enough_phrases_to_mean_something():
    phrases = translated_english()

    assert len(phrases) > 300
    assert {"Select all", "Delete selected", "Log in again", "Change password"} <= phrases
    assert {"History", "Save", "Delete"} <= translated_words()


@pytest.fixture
def world(support_user):
    seller = SellerFactory(name="Papelaria Ipê")
    member = UserFactory(
        membership__seller=seller, username="ana", first_name="Ana", email="ana@ipe.com.br"
    )
    integration = IntegrationFactory(seller=seller, account_name="Papelaria Ipê Ltda")
    IntegrationFactory(
        seller=seller, marketplace="mercadolivre", expired=True, account_name="IPEPAPELARIA"
    )
    make_event(integration, IntegrationEvent.Kind.REFRESHED, details="renovado")
    make_event(integration, IntegrationEvent.Kind.ADMIN_ACTION, actor=support_user)
    attempt = make_attempt(
        integration=integration,
        user=member,
        chosen_external_id="tenant-outro",
        chosen_account_name="Outra Papelaria Ltda",
    )
    make_login_records()
    return {"integration": integration, "attempt": attempt}


def _list_action_confirmation(client, integration) -> str:
    response = client.post(
        admin_url("integrations_integration_changelist"),
        {
            "action": SUPPORT_ACTIONS[0].name,
            "select_across": "0",
            "index": "0",
            "_selected_action": [integration.pk],
        },
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["support", "superuser"])
def test_every_admin_page_is_in_portuguese(who, world, support_user, superuser):
    user = {"support": support_user, "superuser": superuser}[who]
    client = Client()
    client.force_login(user)
    pages = admin_pages(user) + support_pages(world["integration"], world["attempt"])

    english = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        if found := english_on(response.content.decode()):
            english[url] = found
    if found := english_on(_list_action_confirmation(client, world["integration"])):
        english["list action confirmation"] = found

    assert english == {}
    assert len(pages) > (25 if who == "support" else 40)


def test_login_and_logged_out_pages_are_in_portuguese_with_the_hub_header(support_user):
    client = Client()
    login = client.get(reverse("admin:login")).content.decode()
    client.force_login(support_user)
    logged_out = client.post(reverse("admin:logout"))

    assert logged_out.status_code == 200
    for body in (login, logged_out.content.decode()):
        assert english_on(body) == []
        assert "Hub de Integrações — Suporte" in visible_text(body)
        assert "<title>" in body and "| Hub de Integrações — Suporte</title>" in body
