"""A big table's unfiltered list: PostgreSQL's estimate of its size, said to be one, and pages
read by their ids; every other list counted exactly."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub import paginator as paginator_module
from hub.paginator import EstimatedCountPaginator
from integrations.models import Integration
from tests.admin import admin_url
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db
URL = admin_url("integrations_integration_changelist")


def changelist(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.context["cl"], response.content.decode()


def analyze_integrations() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE integrations_integration")


@pytest.mark.parametrize(
    ("count", "shown"),
    [(999_900, 1_000_000), (1_000_148, 1_000_000), (142_858, 140_000), (123, 120), (47, 47)],
)
def test_the_estimate_is_shown_to_two_significant_digits(count, shown):
    paginator = EstimatedCountPaginator(Integration.objects.none(), 50)
    paginator.count = count  # what the cached property would have found

    assert paginator.approximate_count == shown


@pytest.mark.postgres
def test_an_unfiltered_list_of_a_big_table_shows_the_estimate(support_client, monkeypatch):
    IntegrationFactory.create_batch(3)
    analyze_integrations()
    monkeypatch.setattr(paginator_module, "ESTIMATE_ABOVE", 2)

    cl, body = changelist(support_client)

    assert cl.paginator.estimated
    assert cl.result_count == 3  # pg_class.reltuples, as ANALYZE just left it
    assert "cerca de 3 integrações" in body


@pytest.mark.postgres
@pytest.mark.parametrize("params", [{"status__exact": "active"}, {"q": "Empresa"}])
def test_a_filtered_or_searched_list_is_counted_exactly(support_client, monkeypatch, params):
    IntegrationFactory.create_batch(3)
    analyze_integrations()
    monkeypatch.setattr(paginator_module, "ESTIMATE_ABOVE", 2)

    cl, body = changelist(support_client, **params)

    assert not cl.paginator.estimated
    assert cl.result_count == 3
    assert "cerca de" not in body


def test_a_small_table_is_counted_exactly_in_a_single_statement(support_client):
    IntegrationFactory.create_batch(3)
    if connection.vendor == "postgresql":
        analyze_integrations()

    with CaptureQueriesContext(connection) as captured:
        cl, body = changelist(support_client)

    assert not cl.paginator.estimated
    assert cl.result_count == 3
    assert "3 integrações" in body and "cerca de" not in body
    counting = [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]
    assert len(counting) == 1  # the estimate and, for a small table, the count: one statement


@pytest.mark.postgres
def test_about_a_million_is_said_in_portuguese_with_its_pages(support_client, monkeypatch):
    IntegrationFactory.create_batch(2)
    monkeypatch.setattr(
        EstimatedCountPaginator, "_estimate_or_count", lambda self: (1_000_148, None)
    )

    cl, body = changelist(support_client)

    assert cl.paginator.num_pages == 20_003
    assert len(cl.result_list) == 2
    assert "cerca de 1.000.000 integrações" in body
    assert "Selecionar todos os resultados (cerca de 1.000.000 integrações)" in body
    assert ">20003<" in body  # the last page's link
    assert len(changelist(support_client, p=2)[0].result_list) == 0  # past the real rows


def test_pages_of_a_whole_table_read_by_their_ids_hold_the_rows_of_plain_pages():
    IntegrationFactory.create_batch(7)
    IntegrationFactory.create_batch(2, expired=True)
    rows = Integration.objects.select_related("seller").order_by(
        "status", "access_token_expires_at", "-pk"
    )
    by_ids, plain = EstimatedCountPaginator(rows, 4), Paginator(rows, 4)

    for number in plain.page_range:
        page = by_ids.page(number)
        assert "IN (SELECT" in str(page.object_list.query)
        assert list(page) == list(plain.page(number))


def test_a_filtered_list_is_paged_as_usual():
    IntegrationFactory.create_batch(3)
    rows = Integration.objects.filter(status=Integration.Status.ACTIVE).order_by("pk")

    page = EstimatedCountPaginator(rows, 2).page(2)

    assert "IN (SELECT" not in str(page.object_list.query)
    assert list(page) == list(rows)[2:]
