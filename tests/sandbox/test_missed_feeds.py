"""Mercado Livre's GET /missed_feeds on the stand-in, and the home page's topics switch."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from marketplaces import get_provider
from marketplaces.mercadolivre.standin import issuer
from marketplaces.mercadolivre.standin.push import application_id
from marketplaces.sandbox import outbox, push_sweep
from tests.sandbox.push_helpers import (
    new_order,
    quiet_feed,
    subscribe,
)

pytestmark = pytest.mark.django_db
HOST = {"host": "sandbox.test"}
URL = "/sandbox/mercadolivre-api/missed_feeds"


@pytest.fixture
def dropped(hub, settings):
    """Three notifications the stand-in lost, and a token of the account."""
    settings.MERCADOLIVRE_SANDBOX_PUSH_DROP_SHARE = 1
    account, tokens = subscribe("mercadolivre")
    feed = quiet_feed("mercadolivre", account)
    for number in (1, 2, 3):
        new_order(feed, 2000000000100 + number)
    push_sweep.sweep()
    return tokens["access_token"]


def missed(client, token: str | None, **params):
    headers = {**HOST, **({"authorization": f"Bearer {token}"} if token else {})}
    query = {"app_id": str(application_id()), "topic": "orders_v2", **params}
    return client.get(URL, {k: v for k, v in query.items() if v is not None}, headers=headers)


def test_the_url_is_the_stand_ins_api():
    assert reverse("sandbox:mercadolivre:missed-feeds") == URL


def test_missed_notifications_are_paged(client, dropped):
    first = missed(client, dropped, offset=0, limit=2)
    rest = missed(client, dropped, offset=2, limit=2)

    assert first.status_code == rest.status_code == 200
    assert first.json()["paging"] == {"total": 3, "offset": 0, "limit": 2}
    assert rest.json()["paging"] == {"total": 3, "offset": 2, "limit": 2}
    resources = [m["resource"] for m in first.json()["messages"] + rest.json()["messages"]]
    assert resources == [f"/orders/200000000010{n}" for n in (1, 2, 3)]
    message = first.json()["messages"][0]
    assert message["topic"] == "orders_v2" and message["application_id"] == application_id()
    assert message["user_id"] == 123456002 and message["attempts"] == 1


def test_another_topic_has_none_and_the_client_id_names_the_application_too(client, dropped):
    assert missed(client, dropped, topic="items").json() == {
        "messages": [],
        "paging": {"total": 0, "offset": 0, "limit": 10},
    }
    by_client_id = missed(client, dropped, app_id=get_provider("mercadolivre").config.client_id)
    assert by_client_id.json()["paging"]["total"] == 3


def test_any_account_of_the_application_may_read_them(client, dropped):
    other = issuer.issue_tokens(user_id=123456003)["access_token"]  # CASAEXEMPLO
    assert missed(client, other).json()["paging"]["total"] == 3


@pytest.mark.parametrize(
    ("token", "params", "status", "error"),
    [
        (None, {}, 401, "unauthorized"),
        ("APP_USR-not-a-token", {}, 401, "unauthorized"),
        ("valid", {"app_id": None}, 400, "bad_request"),
        ("valid", {"app_id": "42"}, 403, "forbidden"),
    ],
)
def test_refusals(client, dropped, token, params, status, error):
    response = missed(client, dropped if token == "valid" else token, **params)
    assert response.status_code == status
    assert response.json()["error"] == error


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    offset=st.one_of(st.none(), st.text(max_size=12)),
    limit=st.one_of(st.none(), st.text(max_size=12)),
    topic=st.one_of(st.none(), st.text(max_size=20)),
)
def test_any_paging_is_answered_without_a_server_error(dropped, offset, limit, topic):
    response = missed(Client(), dropped, offset=offset, limit=limit, topic=topic)
    assert response.status_code == 200
    paging = response.json()["paging"]
    assert 1 <= paging["limit"] <= 50 and len(response.json()["messages"]) <= paging["limit"]


def test_the_home_page_switches_the_topics_off_and_on():
    browser = Client(enforce_csrf_checks=True)
    home = browser.get(reverse("sandbox:mercadolivre:home"), headers=HOST)
    assert "Desativar os tópicos" in home.content.decode()
    switch = reverse("sandbox:mercadolivre:topics")
    assert browser.post(switch, {"topics": "off"}, headers=HOST).status_code == 403  # no CSRF

    token = home.cookies["csrftoken"].value
    answer = browser.post(switch, {"topics": "off", "csrfmiddlewaretoken": token}, headers=HOST)
    assert answer.status_code == 302 and not outbox.topics_enabled("mercadolivre")
    page = browser.get(reverse("sandbox:mercadolivre:home"), headers=HOST).content.decode()
    assert "Tópicos desativados desde" in page and "Reativar os tópicos" in page

    browser.post(switch, {"topics": "on", "csrfmiddlewaretoken": token}, headers=HOST)
    assert outbox.topics_enabled("mercadolivre")
