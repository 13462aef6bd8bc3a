"""Each marketplace's order reader: the request it sends, what it keeps (never buyer data), its
paging, its status map, and the typed errors it raises."""

from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from marketplaces import AccessTokenRejected, TemporarilyUnavailable
from marketplaces.base.orders import parse_amount
from marketplaces.base.responses import parse_time
from marketplaces.magalu.config import MagaluConfig
from marketplaces.magalu.orders import MagaluOrderReader
from marketplaces.magalu.provider import MagaluProvider
from marketplaces.mercadolivre.config import MercadoLivreConfig
from marketplaces.mercadolivre.orders import MercadoLivreOrderReader
from marketplaces.mercadolivre.provider import MercadoLivreProvider

SINCE = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
MAGALU_ORDERS = "https://api.magalu.com/seller/v1/orders"
ML_ORDERS = "https://api.mercadolibre.com/orders/search"


@pytest.fixture
def http():
    with responses.RequestsMock() as mock:
        yield mock


@pytest.fixture
def magalu():
    config = MagaluConfig(
        client_id="c", client_secret="s", redirect_uri="https://h/", scopes=("a", "b")
    )
    return MagaluOrderReader(MagaluProvider(config))


@pytest.fixture
def mercadolivre():
    config = MercadoLivreConfig(client_id="c", client_secret="s", redirect_uri="https://h/")
    return MercadoLivreOrderReader(MercadoLivreProvider(config))


def magalu_order(**changes) -> dict:
    order = {
        "id": "0f8e3c1a-0000-4000-8000-000000000001",
        "code": "LU-1001",
        "status": "approved",
        "created_at": "2026-12-01T12:30:00Z",
        "updated_at": "2026-12-01T12:35:00Z",
        "amounts": {"total": "129.90", "currency": "BRL"},
        "customer": {"name": "Maria Oliveira", "document_number": "123.456.789-00"},
    }
    return order | changes


def test_magalu_reads_by_updated_at_oldest_first_and_keeps_no_buyer_data(http, magalu):
    http.add(responses.GET, MAGALU_ORDERS, json={"results": [magalu_order()], "meta": {}})

    page = magalu.read_page(access_token="tok", account_id="tenant", updated_since=SINCE, cursor=0)

    query = parse_qs(urlsplit(http.calls[0].request.url).query)
    assert query == {
        "_limit": ["100"],
        "_offset": ["0"],
        "_sort": ["updated_at:asc"],
        "updated_at__gte": ["2026-12-01T12:00:00Z"],
    }
    assert http.calls[0].request.headers["Authorization"] == "Bearer tok"
    (order,) = page.orders
    assert (order.marketplace_order_id, order.code, order.status, order.status_raw) == (
        "0f8e3c1a-0000-4000-8000-000000000001",
        "LU-1001",
        "paid",
        "approved",
    )
    assert (order.total, order.currency) == (Decimal("129.90"), "BRL")
    assert order.created_at == datetime(2026, 12, 1, 12, 30, tzinfo=UTC)
    assert "Maria" not in repr(order) and "123.456" not in repr(order)
    assert page.next_cursor is None  # fewer than a page: the last one


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("new", "pending"), ("approved", "paid"), ("invoiced", "invoiced"), ("shipped", "shipped"),
     ("delivered", "delivered"), ("finished", "delivered"), ("cancelled", "cancelled"),
     ("on_hold", "other")],
)  # fmt: skip
def test_magalu_statuses_are_normalised_and_the_raw_one_kept(http, magalu, raw, normalised):
    http.add(responses.GET, MAGALU_ORDERS, json={"results": [magalu_order(status=raw)]})

    (order,) = magalu.read_page(
        access_token="t", account_id="a", updated_since=None, cursor=0
    ).orders

    assert (order.status, order.status_raw) == (normalised, raw)


def test_a_full_page_points_at_the_next_one(http, magalu):
    orders = [magalu_order(id=f"id-{n}") for n in range(100)]
    http.add(responses.GET, MAGALU_ORDERS, json={"results": orders})

    page = magalu.read_page(access_token="t", account_id="a", updated_since=None, cursor=200)

    assert page.next_cursor == 300
    assert "updated_at__gte" not in http.calls[0].request.url


def test_entries_that_are_not_orders_are_skipped_not_fatal(http, magalu):
    results = [magalu_order(), "junk", {"id": "no-dates"}, magalu_order(id="", code="x")]
    http.add(responses.GET, MAGALU_ORDERS, json={"results": results})

    page = magalu.read_page(access_token="t", account_id="a", updated_since=None, cursor=0)

    assert (len(page.orders), page.skipped) == (1, 3)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, {"error": "invalid_token"}, AccessTokenRejected),
        (429, {}, TemporarilyUnavailable),
        (503, {}, TemporarilyUnavailable),
        (200, {"no": "results"}, TemporarilyUnavailable),
        (200, ["a", "list"], TemporarilyUnavailable),
    ],
)
def test_magalu_errors(http, magalu, status, body, error):
    http.add(responses.GET, MAGALU_ORDERS, status=status, json=body, headers={"Retry-After": "30"})

    with pytest.raises(error) as raised:
        magalu.read_page(access_token="t", account_id="a", updated_since=None, cursor=0)

    if status == 429:
        assert raised.value.retry_after == 30


def test_mercado_livre_reads_the_sellers_orders_by_last_update(http, mercadolivre):
    body = {
        "results": [
            {
                "id": 2000000000042,
                "status": "paid",
                "date_created": "2026-12-01T09:30:00.000-03:00",
                "date_last_updated": "2026-12-01T09:32:00.000-03:00",
                "total_amount": 259.8,
                "currency_id": "BRL",
                "buyer": {"id": 1, "nickname": "COMPRADOR"},
            }
        ],
        "paging": {"total": 120, "offset": 50, "limit": 50},
    }
    http.add(responses.GET, ML_ORDERS, json=body)

    page = mercadolivre.read_page(
        access_token="APP_USR-x", account_id="123456001", updated_since=SINCE, cursor=50
    )

    query = parse_qs(urlsplit(http.calls[0].request.url).query)
    assert query == {
        "seller": ["123456001"],
        "sort": ["date_asc"],
        "offset": ["50"],
        "limit": ["50"],
        "order.date_last_updated.from": ["2026-12-01T12:00:00Z"],
    }
    (order,) = page.orders
    assert (order.marketplace_order_id, order.code, order.status) == (
        "2000000000042",
        "2000000000042",
        "paid",
    )
    assert order.total == Decimal("259.80")
    assert order.created_at == datetime(2026, 12, 1, 12, 30, tzinfo=UTC)
    assert "COMPRADOR" not in repr(order)
    assert page.next_cursor == 51  # 51 of 120 seen


def test_mercado_livre_paging_ends_at_the_total(http, mercadolivre):
    http.add(responses.GET, ML_ORDERS, json={"results": [], "paging": {"total": 50, "offset": 50}})

    assert (
        mercadolivre.read_page(
            access_token="t", account_id="1", updated_since=None, cursor=50
        ).next_cursor
        is None
    )


def test_a_read_timeout_is_a_temporary_failure(http, mercadolivre):
    http.add(responses.GET, ML_ORDERS, body=requests.ReadTimeout())

    with pytest.raises(TemporarilyUnavailable):
        mercadolivre.read_page(access_token="t", account_id="1", updated_since=None, cursor=0)


@pytest.mark.parametrize(
    ("value", "amount"),
    [("129.90", Decimal("129.90")), (129.9, Decimal("129.90")), (10, Decimal("10.00")),
     ({"value": 12990, "normalizer": 100}, Decimal("129.90")), ("abc", None), (True, None),
     (None, None), ("1e30", None), ({"value": 1, "normalizer": 0}, None)],
)  # fmt: skip
def test_amounts(value, amount):
    assert parse_amount(value) == amount


def test_times():
    assert parse_time("2026-12-01T09:30:00-03:00") == datetime(2026, 12, 1, 12, 30, tzinfo=UTC)
    assert parse_time("2026-12-01T12:30:00") == datetime(2026, 12, 1, 12, 30, tzinfo=UTC)
    assert parse_time("yesterday") is None and parse_time(5) is None
