"""The support overview: its numbers on known data, and each one links to the list showing it."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone

from integrations.models import IntegrationEvent
from integrations.orders.models import OrderPulse
from integrations.selectors_support import support_overview
from tests.admin import admin_url, make_event
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = IntegrationEvent.Kind
URL = admin_url("integrations_integration_overview")


@pytest.fixture
def known_data():
    now = timezone.now()
    soon = IntegrationFactory(access_token_expires_at=now + timedelta(minutes=30))
    overdue = IntegrationFactory(access_token_expires_at=now - timedelta(minutes=10))
    IntegrationFactory(access_token_expires_at=now + timedelta(hours=3))
    expired_recently = IntegrationFactory(
        expired=True, last_error="invalid_grant", last_error_at=now - timedelta(hours=2)
    )
    expired_long_ago = IntegrationFactory(
        expired=True, last_error="invalid_grant", last_error_at=now - timedelta(days=3)
    )
    IntegrationFactory(marketplace="outro", access_token_expires_at=now + timedelta(hours=3))

    make_event(soon, Kind.REFRESH_FAILED, ago=timedelta(hours=1))
    make_event(soon, Kind.REFRESH_FAILED, ago=timedelta(hours=2))
    make_event(overdue, Kind.REFRESH_FAILED, ago=timedelta(hours=23))
    make_event(overdue, Kind.REFRESH_FAILED, ago=timedelta(hours=25))
    make_event(expired_recently, Kind.EXPIRED, ago=timedelta(hours=2))
    make_event(expired_long_ago, Kind.EXPIRED, ago=timedelta(days=3))
    make_event(soon, Kind.REFRESHED, ago=timedelta(minutes=5))
    # One quiet account (token valid), one that has orders, one expired that was quiet before.
    OrderPulse.objects.create(integration=overdue, silent_since=now - timedelta(hours=30))
    OrderPulse.objects.create(integration=soon, last_order_at=now - timedelta(minutes=3))
    OrderPulse.objects.create(integration=expired_recently, silent_since=now - timedelta(days=2))


def test_numbers_on_known_data(known_data, django_assert_num_queries):
    with django_assert_num_queries(2):
        overview = support_overview()

    assert overview.total == 6
    assert overview.by_status == {"active": 4, "expired": 2, "disconnected": 0}
    assert [(row.marketplace, row.counts, row.total) for row in overview.by_marketplace] == [
        ("magalu", {"active": 3, "expired": 2, "disconnected": 0}, 5),
        ("outro", {"active": 1, "expired": 0, "disconnected": 0}, 1),
    ]
    assert overview.expiring_next_hour == 1
    assert overview.overdue == 1
    assert overview.errors_24h == 1
    assert overview.silent_orders == 1
    failures = overview.recent[Kind.REFRESH_FAILED]
    assert (failures.events, failures.integrations) == (3, 2)
    expirations = overview.recent[Kind.EXPIRED]
    assert (expirations.events, expirations.integrations) == (1, 1)


def test_every_number_on_the_page_links_to_a_list_of_exactly_that_many(support_client, known_data):
    body = support_client.get(URL).content.decode()

    links = re.findall(r'<td class="hub-num"><a href="([^"]+)">(\d+)</a></td>', body)
    assert len(links) == 3 * 4 + 4 + 2 * 2  # the status table, attention, last 24 h
    for href, number in links:
        response = support_client.get(unescape(href))
        assert response.status_code == 200, href
        assert response.context["cl"].result_count == int(number), href


def test_links_name_the_filters_support_expects(support_client, known_data):
    body = unescape(support_client.get(URL).content.decode())

    for query in (
        "?status__exact=active",
        "?status__exact=expired",
        "?marketplace=magalu",
        "?marketplace=magalu&status__exact=expired",
        "?expira=proxima-hora",
        "?expira=vencido",
        "?erro_24h=sim",
        "?pedidos=sem-pedidos-novos",
        "?evento_24h=refresh_failed",
        "?evento_24h=expired",
    ):
        assert f'{admin_url("integrations_integration_changelist")}{query}"' in body, query


def test_admin_index_links_to_the_overview_for_those_who_see_integrations(support_client):
    assert URL in support_client.get(admin_url("index")).content.decode()

    other = Client()
    other.force_login(UserFactory(membership=None, is_staff=True))
    assert URL not in other.get(admin_url("index")).content.decode()
    assert other.get(URL).status_code == 403
