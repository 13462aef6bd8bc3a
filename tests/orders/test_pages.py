"""The seller's Pedidos page and the Marketplaces page's "Último pedido" and silence hint."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrations.orders.models import Order, OrderPulse
from tests.factories import IntegrationFactory, SellerFactory

pytestmark = pytest.mark.django_db
URL = reverse("orders:list")


_numbers = iter(range(1, 10**6))


def make_order(integration, *, ago: timedelta, status="paid", total="129.90") -> Order:
    number = next(_numbers)
    created = timezone.now() - ago
    return Order.objects.create(
        integration=integration,
        seller_id=integration.seller_id,
        marketplace=integration.marketplace,
        marketplace_order_id=f"o-{number}",
        code=f"LU-{number}",
        status=status,
        status_raw=status,
        total=Decimal(total),
        currency="BRL",
        created_at=created,
        updated_at=created,
    )


@pytest.fixture
def shop(seller):
    magalu = IntegrationFactory(seller=seller, account_name="Loja Magalu Ltda")
    ml = IntegrationFactory(seller=seller, marketplace="mercadolivre", account_name="LOJAML")
    return magalu, ml


def test_the_sellers_orders_newest_first_in_sao_paulo_time_and_brazilian_money(seller_client, shop):
    magalu, ml = shop
    make_order(magalu, ago=timedelta(hours=5), total="1234.5")
    make_order(ml, ago=timedelta(hours=1))
    make_order(IntegrationFactory(seller=SellerFactory()), ago=timedelta(minutes=1))  # not mine

    response = seller_client.get(URL)

    body = response.content.decode()
    assert response.status_code == 200
    assert [o.integration_id for o in response.context["page"].object_list] == [ml.pk, magalu.pk]
    assert "R$ 1.234,50" in body and "Mercado Livre" in body and "Magazine Luiza" in body
    local = timezone.localtime(Order.objects.get(integration=ml).created_at)
    assert local.strftime("%d/%m/%Y %H:%M") in body
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"marketplace": "mercadolivre"}, ["ml"]),
        ({"status": "cancelled"}, ["cancelled"]),
        ({"de": "{two_days_ago}"}, ["ml", "cancelled"]),
        ({"ate": "{two_days_ago}"}, ["old"]),
    ],
)
def test_filters(seller_client, shop, query, expected):
    magalu, ml = shop
    orders = {
        "ml": make_order(ml, ago=timedelta(hours=1)),
        "cancelled": make_order(magalu, ago=timedelta(hours=2), status="cancelled"),
        "old": make_order(magalu, ago=timedelta(days=5)),
    }
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    query = {key: value.format(two_days_ago=day) for key, value in query.items()}

    listed = seller_client.get(URL, query).context["page"].object_list

    assert [o.pk for o in listed] == [orders[name].pk for name in expected]


def test_the_account_filter_offers_only_the_sellers_own(seller_client, shop):
    other = IntegrationFactory(seller=SellerFactory())

    assert seller_client.get(URL, {"conta": shop[0].pk}).status_code == 200
    response = seller_client.get(URL, {"conta": other.pk})

    assert response.status_code == 400
    assert "Nada foi alterado" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"de": "31/02/2026"}, {"status": "perdido"}, {"de": "2026-12-10", "ate": "2026-12-01"}],
)
def test_bad_filters_are_a_400_in_portuguese(seller_client, shop, query):
    response = seller_client.get(URL, query)

    assert response.status_code == 400
    assert "Confira os filtros destacados." in response.content.decode()


def test_pages_of_25_and_a_constant_number_of_queries(seller_client, shop):
    for hours in range(60):
        make_order(shop[0], ago=timedelta(hours=hours))

    with CaptureQueriesContext(connection) as first:
        page1 = seller_client.get(URL)
    with CaptureQueriesContext(connection) as third:
        page3 = seller_client.get(URL, {"pagina": 3})

    assert len(page1.context["page"].object_list) == 25
    assert len(page3.context["page"].object_list) == 10
    assert "Página 3 de 3 · 60 pedidos" in page3.content.decode()
    assert len(first) == len(third)


def test_an_empty_list_says_why(seller_client, shop):
    assert "Nenhum pedido ainda." in seller_client.get(URL).content.decode()


def test_marketplaces_page_shows_the_last_order_and_a_silence_hint(seller_client, shop):
    magalu, ml = shop
    OrderPulse.objects.create(integration=magalu, last_order_at=timezone.now() - timedelta(hours=2))
    OrderPulse.objects.create(
        integration=ml,
        last_order_at=timezone.now() - timedelta(hours=9),
        silent_since=timezone.now() - timedelta(hours=9),
        usual_gap_seconds=7200,
    )

    with CaptureQueriesContext(connection) as queries:
        body = seller_client.get(reverse("integrations:marketplaces")).content.decode()

    assert "Último pedido" in body
    assert "há 2 horas" in body
    assert "Sem pedidos novos há 9 horas" in body
    assert "confira no Mercado Livre se a conta está ativa" in body
    assert body.count("Sem pedidos novos") == 1
    IntegrationFactory(seller=shop[0].seller, account_name="Mais uma")
    with CaptureQueriesContext(connection) as more:
        seller_client.get(reverse("integrations:marketplaces"))
    assert len(more) == len(queries)
