"""The integrations list: trouble first, each row's health in the seller page's words, the
"importação de pedidos" filter, and the health on the integration's page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrations.account_health import health_of
from integrations.admin.paginator import TroubleFirstPaginator
from integrations.models import Integration
from integrations.orders.models import OrderPulse
from integrations.selectors_trouble import trouble_first_ordering
from tests.admin import admin_url
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db
URL = admin_url("integrations_integration_changelist")


def listed(client, **params) -> list[int]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [integration.pk for integration in response.context["cl"].result_list]


def pulse(integration, **fields) -> OrderPulse:
    return OrderPulse.objects.create(integration=integration, **fields)


def failing(**fields) -> Integration:
    integration = IntegrationFactory(**fields)
    pulse(
        integration,
        import_failing_since=timezone.now() - timedelta(hours=2),
        last_import_error="serviço indisponível (HTTP 500)",
        last_import_failure=OrderPulse.Failure.TEMPORARY,
    )
    return integration


def silent(**fields) -> Integration:
    integration = IntegrationFactory(**fields)
    pulse(
        integration,
        last_import_at=timezone.now(),
        silent_since=timezone.now() - timedelta(hours=30),
    )
    return integration


@pytest.fixture
def every_health():
    now = timezone.now()
    return {
        "ok_later": IntegrationFactory(access_token_expires_at=now + timedelta(hours=3)),
        "disconnected": IntegrationFactory(status=Integration.Status.DISCONNECTED),
        "silent": silent(),
        "ok_sooner": IntegrationFactory(access_token_expires_at=now + timedelta(minutes=30)),
        "failing": failing(),
        "expired": IntegrationFactory(expired=True),
        # Failing and silent at once: the failing imports say more.
        "failing_and_silent": failing(access_token_expires_at=now + timedelta(hours=4)),
    }


def test_trouble_first_expired_failing_silent_the_rest_and_disconnected_last(
    support_client, every_health
):
    both = every_health["failing_and_silent"]
    OrderPulse.objects.filter(integration=both).update(silent_since=timezone.now())
    order = [
        "expired",
        "failing",
        "failing_and_silent",
        "silent",
        "ok_sooner",
        "ok_later",
        "disconnected",
    ]

    assert listed(support_client) == [every_health[name].pk for name in order]


def test_every_page_of_the_segments_holds_the_rows_of_the_single_ordering(every_health):
    IntegrationFactory.create_batch(3, expired=True)
    IntegrationFactory.create_batch(2, status=Integration.Status.DISCONNECTED)
    rows = Integration.objects.select_related("seller", "order_pulse").order_by(
        *trouble_first_ordering()
    )
    whole = list(rows)

    for per_page in (1, 2, 3, 5, 50):
        paginator = TroubleFirstPaginator(rows, per_page)
        pages = [list(paginator.page(number)) for number in paginator.page_range]
        assert [row for page in pages for row in page] == whole


def test_a_column_header_still_sorts_by_its_column(support_client, every_health):
    by_account = sorted(every_health.values(), key=lambda integration: integration.account_name)

    # "o=2": the second column, "conta" (account_name).
    assert listed(support_client, o="2") == [integration.pk for integration in by_account]


def test_the_health_column_says_what_the_seller_page_says_with_no_query_per_row(
    support_client, every_health
):
    with CaptureQueriesContext(connection) as captured:
        response = support_client.get(URL)
    few_rows = len(captured)
    IntegrationFactory.create_batch(5)
    for _ in range(3):
        failing()
        silent()
    with CaptureQueriesContext(connection) as captured:
        support_client.get(URL)

    body = response.content.decode()
    for integration in every_health.values():
        integration = Integration.objects.get(pk=integration.pk)
        state = health_of(integration, OrderPulse.objects.filter(integration=integration).first())
        assert f'data-health="{state.state}">{state.line}</span>' in body.replace("&#x27;", "'")
        if state.orders_line:
            assert state.orders_line in body
    assert "Falha ao importar pedidos desde" in body
    assert "Sem pedidos novos há" in body
    assert 'hub-badge--neutral"><span class="hub-badge__dot"></span>Desconectada' in body
    assert len(captured) == few_rows


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("falhando", ["failing", "failing_and_silent"]),
        ("normal", ["silent", "ok_sooner", "ok_later"]),
    ],
)
def test_the_order_import_filter(support_client, every_health, value, expected):
    response = support_client.get(URL, {"importacao": value})

    assert [i.pk for i in response.context["cl"].result_list] == [
        every_health[name].pk for name in expected
    ]
    body = response.content.decode()
    assert "Por importação de pedidos" in body
    assert "Falhando (Ativo)" in body and "Sem falha (Ativo)" in body


def test_the_page_shows_the_health_and_offers_the_suggested_action_first(support_client):
    integration = failing()

    response = support_client.get(admin_url("integrations_integration_change", integration.pk))

    body = response.content.decode()
    state = health_of(integration, integration.order_pulse)
    assert state.line in body.replace("&#x27;", "'")
    assert "Fale com o suporte" in body  # the seller's next step, in words
    actions = response.context["support_actions"]
    assert actions[0]["label"] == "Renovar agora" and actions[0]["suggested"]


def test_the_page_of_an_expired_integration_suggests_the_reactivation_link(support_client):
    integration = IntegrationFactory(expired=True)

    response = support_client.get(admin_url("integrations_integration_change", integration.pk))

    actions = response.context["support_actions"]
    assert actions[0]["label"] == "Enviar link de reativação" and actions[0]["suggested"]
    assert "Reativar" in response.content.decode()


@pytest.mark.postgres
def test_page_one_of_a_big_list_is_read_from_the_indexes_without_sorting_the_table(
    support_client,
):
    IntegrationFactory.create_batch(30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE integrations_integration")
    rows = Integration.objects.select_related("seller", "order_pulse")
    paginator = TroubleFirstPaginator(rows, 50)

    with CaptureQueriesContext(connection) as captured:
        paginator.rows(0, 50)

    with connection.cursor() as cursor:
        # A small table's cheapest plan may sort it anyway: sorting made dear, the plan shows
        # whether the indexes can serve the order (the benchmark measures it at 1M rows).
        cursor.execute("SET enable_sort = off")
        for query in captured:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            # The few in trouble are found through the pulse's partial indexes and sorted;
            # every other segment is read in order from integration_due_idx.
            if "pulse_silent_idx" in plan or "pulse_import_failing_idx" in plan:
                continue
            assert "integration_due_idx" in plan and "Sort" not in plan, plan
        cursor.execute("RESET enable_sort")
