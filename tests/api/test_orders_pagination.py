"""GET /api/v1/orders pages by (changed_at, id): orders written between pages are neither
skipped nor repeated (an order updated after it was read comes again, later, once)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.conftest import api_get, write_orders

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _read_all(client, key, *, between=None, limit=5, **filters) -> list[list[dict]]:
    pages, cursor, turn = [], None, 0
    while True:
        params = {"limit": limit, **filters, **({"cursor": cursor} if cursor else {})}
        body = api_get(client, key, "/api/v1/orders", **params).json()
        pages.append(body["results"])
        cursor = body["next_cursor"]
        if between is not None:
            between(turn)
        turn += 1
        if not body["has_more"]:
            return pages


def test_writes_between_pages_are_neither_skipped_nor_repeated(client, tenant):
    write_orders(tenant.integration, range(12))
    late = timezone.now() - timedelta(days=3)  # the marketplace's own time: older than all

    def between(turn: int) -> None:
        if turn == 0:
            write_orders(tenant.integration, [100], updated=late)  # new, "old" updated_at
            write_orders(tenant.integration, [1], status="shipped")  # already read: comes again
            write_orders(tenant.integration, [10], status="shipped")  # not read yet: comes once

    pages = _read_all(client, tenant.key, between=between)
    seen = [order["marketplace_order_id"] for page in pages for order in page]

    assert sorted(set(seen)) == sorted({f"MO-{n}" for n in [*range(12), 100]})
    assert seen.count("MO-1") == 2  # the update reappears later...
    assert seen.index("MO-1") < 5 and seen[-1] in ("MO-1", "MO-10", "MO-100")
    assert {seen.count(f"MO-{n}") for n in [*range(12), 100] if n != 1} == {1}  # ...nothing else
    last = [order for order in pages[-1] + pages[-2] if order["marketplace_order_id"] == "MO-1"]
    assert last[-1]["status"] == "shipped"


def test_the_last_cursor_polls_for_later_changes(client, tenant):
    write_orders(tenant.integration, range(3))
    body = api_get(client, tenant.key, "/api/v1/orders").json()
    assert len(body["results"]) == 3 and body["has_more"] is False

    write_orders(tenant.integration, [7])
    later = api_get(client, tenant.key, "/api/v1/orders", cursor=body["next_cursor"]).json()

    assert [order["marketplace_order_id"] for order in later["results"]] == ["MO-7"]


def test_filters_by_status_account_marketplace_and_period(client, tenant):
    write_orders(tenant.integration, range(3))
    write_orders(tenant.integration, [9], status="cancelled")
    account = str(tenant.integration.public_id)

    def ids(**filters):
        body = api_get(client, tenant.key, "/api/v1/orders", **filters).json()
        return [order["marketplace_order_id"] for order in body["results"]]

    assert ids(status="cancelled") == ["MO-9"]
    assert len(ids(account=account, marketplace="magalu")) == 4
    assert ids(marketplace="mercadolivre") == []
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    assert ids(created_from=tomorrow) == []
    assert len(ids(created_to=tomorrow)) == 4


def test_orders_written_this_instant_wait_for_the_settle_window(client, settings, tenant):
    settings.API_SETTLE_SECONDS = 60
    write_orders(tenant.integration, range(2))

    assert api_get(client, tenant.key, "/api/v1/orders").json()["results"] == []


@pytest.mark.parametrize(
    "params",
    [{"cursor": "nope"}, {"cursor": "e30"}, {"limit": "0"}, {"status": "x"}, {"account": "1"}],
)
def test_bad_parameters_are_a_400_problem_in_portuguese(client, tenant, params):
    response = api_get(client, tenant.key, "/api/v1/orders", **params)

    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Requisição inválida"
    assert body["detail"] == "Um ou mais parâmetros são inválidos."
    assert set(body["errors"]) <= set(params)


def test_an_order_as_the_api_shows_it(client, tenant):
    write_orders(tenant.integration, [5], total="1234.50")

    order = api_get(client, tenant.key, "/api/v1/orders").json()["results"][0]

    assert order["account"] == str(tenant.integration.public_id)
    assert order["total"] == "1234.50" and order["currency"] == "BRL"
    assert order["changed_at"].endswith("Z") and order["updated_at"].endswith("Z")
    assert not {"buyer", "customer", "document"} & set(order)
