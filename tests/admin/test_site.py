"""The whole admin site: the hub's name on every page, one date format, the action dropdown in
Portuguese, and staff kept in the admin when they log out."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from hub.admin_site import ACTION_PLACEHOLDER, HubAdminMixin, when
from hub.paginator import EstimatedCountPaginator
from integrations.models import IntegrationEvent
from tests.admin import admin_url, make_attempt, make_event, make_login_records
from tests.admin.crawl import admin_pages, support_pages
from tests.factories import IntegrationFactory, UserFactory
from tests.portuguese import visible_text

pytestmark = pytest.mark.django_db

HEADER = "Hub de Integrações — Suporte"
_MONTHS = "janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro"
LONG_DATE = re.compile(rf"\d{{1,2}} de ({_MONTHS}) de \d{{4}}", re.IGNORECASE)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}")
SHORT_DATE = re.compile(r"\b\d{2}/\d{2}/\d{4} \d{2}:\d{2}\b")


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 12, 3, 17, 5, tzinfo=UTC), "03/12/2026 14:05"),  # São Paulo, UTC-3
        (datetime(2026, 1, 1, 2, 30, tzinfo=UTC), "31/12/2025 23:30"),  # the day before there
        (None, "—"),
    ],
)
def test_when_is_sao_paulo_time_day_first_to_the_minute(moment, shown):
    assert when(moment) == shown


@pytest.fixture
def world(support_user):
    integration = IntegrationFactory(last_error="falhou", last_error_at=datetime.now(UTC))
    IntegrationFactory(expired=True, seller=integration.seller)
    member = UserFactory(membership__seller=integration.seller)
    make_event(integration, IntegrationEvent.Kind.REFRESHED, actor=support_user)
    attempt = make_attempt(integration=integration, user=member, chosen_external_id="t")
    make_login_records()
    return {"integration": integration, "attempt": attempt}


@pytest.mark.parametrize("who", ["support", "superuser"])
def test_every_page_has_the_hubs_name_and_one_date_format(who, world, support_user, superuser):
    user = {"support": support_user, "superuser": superuser}[who]
    client = Client()
    client.force_login(user)

    dates_seen = 0
    for url in admin_pages(user) + support_pages(world["integration"], world["attempt"]):
        body = client.get(url).content.decode()
        text = visible_text(body)
        assert f"| {HEADER}</title>" in body, url
        assert f'<div id="site-name"><a href="/admin/">{HEADER}</a></div>' in body, url
        assert not LONG_DATE.search(text), (url, LONG_DATE.search(text).group())
        assert not ISO_DATE.search(text), (url, ISO_DATE.search(text).group())
        dates_seen += len(SHORT_DATE.findall(text))
    assert dates_seen > 20


def test_history_page_shows_its_times_in_the_short_format(superuser_client):
    integration = IntegrationFactory()
    superuser_client.post(
        admin_url("hub_seller_change", integration.seller_id),
        {
            "name": "Nome Novo",
            "cnpj": integration.seller.cnpj,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    body = superuser_client.get(admin_url("hub_seller_history", integration.seller_id))

    assert SHORT_DATE.search(visible_text(body.content.decode()))


def test_list_and_page_times_are_the_helpers(support_client, support_user):
    expires = datetime(2026, 12, 3, 17, 5, tzinfo=UTC)
    integration = IntegrationFactory(
        access_token_expires_at=expires, last_renewed_at=expires - timedelta(hours=2)
    )
    make_event(integration, IntegrationEvent.Kind.REFRESHED, ago=timedelta(hours=1))

    listed = support_client.get(admin_url("integrations_integration_changelist")).content.decode()
    page = support_client.get(
        admin_url("integrations_integration_change", integration.pk)
    ).content.decode()
    events = support_client.get(admin_url("integrations_integrationevent_changelist"))

    assert "03/12/2026 14:05" in listed and "03/12/2026 12:05" in listed
    assert "03/12/2026 14:05" in page and "03/12/2026 12:05" in page
    event = integration.events.get()
    assert when(event.created_at) in page  # the history inline
    assert when(event.created_at) in events.content.decode()


def test_every_action_dropdown_starts_with_a_portuguese_prompt(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser

    prompts = {
        model._meta.label: model_admin.get_action_choices(request)[0]
        for model, model_admin in admin.site._registry.items()
    }

    assert set(prompts.values()) == {("", ACTION_PLACEHOLDER)}, prompts


def test_the_list_shows_the_prompt(support_client):
    IntegrationFactory()

    body = support_client.get(admin_url("integrations_integration_changelist")).content.decode()

    assert f'<option value="" selected>{ACTION_PLACEHOLDER}</option>' in body


@pytest.mark.parametrize("to_field", ["+", "membership", "id"])
def test_a_list_refuses_to_reference_anything_but_a_column_with_a_400(superuser_client, to_field):
    response = superuser_client.get(admin_url("auth_user_changelist"), {"_to_field": to_field})

    assert response.status_code == (200 if to_field == "id" else 400)


def test_logging_out_of_the_admin_stays_in_the_admin(support_client):
    response = support_client.post(reverse("admin:logout"))

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Sessão encerrada" in text and "Acessar novamente" in text
    assert "_auth_user_id" not in support_client.session
    assert support_client.get(admin_url("index")).status_code == 302  # to the admin's login


def test_the_seller_logout_still_goes_to_the_seller_login(seller_client):
    response = seller_client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_no_view_site_link_leading_staff_to_the_sellers_403(support_client):
    body = support_client.get(admin_url("index")).content.decode()

    assert "Ver o site" not in body
    assert support_client.get("/", follow=True).status_code == 403  # what it would have shown


def test_every_model_admin_on_the_site_takes_the_hubs_mixin():
    registered = admin.site._registry
    assert len(registered) >= 8  # ours, Django's users and groups, axes' three
    for model, model_admin in registered.items():
        assert isinstance(model_admin, HubAdminMixin), model
        assert model_admin.paginator is EstimatedCountPaginator, model
