"""The integration page's tools: one row of the actions that can work, one history link, the
reactivation link to copy and the seller's people to contact."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.admin.actions import SUPPORT_ACTIONS
from integrations.models import Integration
from integrations.services.notifications import reactivation_url
from integrations.services.support import SupportActionRefused
from tests.admin import admin_url
from tests.factories import IntegrationFactory, SellerFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client, integration) -> str:
    response = client.get(admin_url("integrations_integration_change", integration.pk))
    assert response.status_code == 200
    return response.content.decode()


def object_tools(body: str) -> list[str]:
    tools = body.split('<ul class="object-tools">', 1)[1].split("</ul>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li.*?</li>", tools, re.S)
    ]


def test_an_active_integration_offers_renew_mark_expired_and_disconnect(support_client):
    body = page(support_client, IntegrationFactory())

    assert object_tools(body) == [
        "Renovar agora…",
        "Marcar como Token Expirado…",
        "Desconectar…",
        "Histórico completo",
    ]


def test_an_expired_integration_without_tokens_offers_the_reactivation_link_and_disconnecting(
    support_client,
):
    body = page(support_client, IntegrationFactory(expired=True))

    assert object_tools(body) == [
        "Enviar link de reativação…",
        "Desconectar…",
        "Histórico completo",
    ]


def test_a_disconnected_integration_offers_only_the_reactivation_link(support_client):
    integration = IntegrationFactory(expired=True, status=Integration.Status.DISCONNECTED)

    assert object_tools(page(support_client, integration)) == [
        "Enviar link de reativação…",
        "Histórico completo",
    ]


def expired_with_tokens():
    integration = IntegrationFactory(expired=True)
    integration.set_tokens(access_token="a", refresh_token="r")
    integration.save()
    return integration


def test_an_expired_integration_still_holding_tokens_offers_what_works_on_them(support_client):
    # The reactivation link first: what a Token Expirado calls for.
    assert object_tools(page(support_client, expired_with_tokens())) == [
        "Enviar link de reativação…",
        "Renovar agora…",
        "Desconectar…",
        "Histórico completo",
    ]


@pytest.mark.parametrize(
    "make",
    [IntegrationFactory, lambda: IntegrationFactory(expired=True), expired_with_tokens],
    ids=["active", "expired", "expired-with-tokens"],
)
def test_what_the_page_offers_is_what_the_services_accept(make):
    """The display rule (SupportAction.offered) is the services' refusal rule, action by action."""
    for action in SUPPORT_ACTIONS:
        integration = make()
        UserFactory(membership__seller=integration.seller)  # someone to e-mail
        try:
            action.service(integration_id=integration.pk, actor=UserFactory(membership=None))
        except SupportActionRefused:
            accepted = False
        else:
            accepted = True
        assert action.offered(integration) == accepted, action.name


def test_one_history_link_the_full_events_list(support_client):
    integration = IntegrationFactory()

    body = page(support_client, integration)

    assert body.count("Histórico completo") == 1
    assert f"?integration__id__exact={integration.pk}" in body
    assert admin_url("integrations_integration_history", integration.pk) not in body
    assert admin_url("integrations_integration_overview") not in body


def test_tokens_are_labelled_in_portuguese(support_client):
    body = page(support_client, IntegrationFactory())

    assert "Token de acesso:" in body and "Token de renovação:" in body
    assert "ccess token" not in body and "efresh token" not in body


def test_an_expired_integration_shows_its_reactivation_link_to_copy(support_client):
    integration = IntegrationFactory(expired=True)

    body = page(support_client, integration)

    link = reactivation_url(integration)
    assert re.search(rf'<input type="text" [^>]*readonly value="{re.escape(link)}"', body)
    # The button appears once the script runs; the field alone is still there to select.
    assert '<button type="button" class="button hub-copy__button" hidden>Copiar</button>' in body
    assert '<script src="/static/hub/admin_copy.js"></script>' in body
    assert "<script>" not in body  # the CSP allows no inline script


def test_an_active_integration_has_no_link_to_copy(support_client):
    body = page(support_client, IntegrationFactory())

    assert "hub-copy__input" not in body
    assert "— (a integração está Ativa)" in body


def test_the_sellers_people_are_listed_with_names_and_emails(support_client):
    seller = SellerFactory()
    integration = IntegrationFactory(seller=seller)
    UserFactory(
        membership__seller=seller, first_name="Joana", last_name="Lima", email="joana@loja.com.br"
    )
    UserFactory(membership__seller=seller, username="caixa", email="", is_active=False)
    UserFactory(first_name="Outra", last_name="Pessoa", email="outra@alheia.com.br")

    body = page(support_client, integration)

    assert 'Joana Lima · <a href="mailto:joana@loja.com.br">joana@loja.com.br</a>' in body
    assert "caixa · sem e-mail (inativo)" in body
    assert "outra@alheia.com.br" not in body


def test_a_seller_without_users_says_so(support_client):
    assert "— (a empresa não tem usuários)" in page(support_client, IntegrationFactory())


def test_the_people_cost_one_query_however_many_there_are(support_client):
    integration = IntegrationFactory()
    UserFactory(membership__seller=integration.seller)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(support_client, integration)
        return len(captured)

    one = queries()
    for _ in range(5):
        UserFactory(membership__seller=integration.seller)

    assert queries() == one
