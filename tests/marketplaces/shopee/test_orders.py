"""Importing a shop's orders from the stand-in's feed: 15-day windows from the watermark, Shopee's
cursor within each, get_order_detail for at most 50 order_sn, no buyer data kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import Integration
from integrations.orders.models import Order, OrderPulse
from integrations.orders.services.importing import ImportOutcome, orders_import
from marketplaces import get_provider, reader_for
from marketplaces.sandbox import faults
from marketplaces.sandbox.models import SandboxOrder
from marketplaces.shopee import signing

pytestmark = pytest.mark.usefixtures("sandbox_http")
LIST = "/sandbox/shopee-api/api/v2/order/get_order_list"
DETAIL = "/sandbox/shopee-api/api/v2/order/get_order_detail"


@pytest.fixture(autouse=True)
def _busier_feed(settings):
    settings.SANDBOX_ORDERS_MEAN_GAP_MINUTES = 240  # ~180 orders in 30 days: several pages


def _import(shop):
    return orders_import(integration_id=shop.integration.pk)


def test_the_first_import_reads_every_window_and_page(shop, sandbox_http):
    result = _import(shop)

    assert result.outcome == ImportOutcome.IMPORTED
    feed = SandboxOrder.objects.filter(feed__marketplace="shopee")
    assert Order.objects.count() == feed.count() > 100
    assert result.pages > 3  # two 15-day windows, pages of 50 in each
    lists = [c for c in sandbox_http.calls if c.path == LIST]
    details = [c for c in sandbox_http.calls if c.path == DETAIL]
    assert all(c.status == 200 for c in lists + details)
    assert len(details) >= len(feed) / 50


def test_orders_are_kept_normalised_and_without_buyer_data(shop):
    _import(shop)

    # The oldest order that went all the way (a share of them are cancelled, at random).
    row = (
        SandboxOrder.objects.filter(feed__marketplace="shopee", status="COMPLETED")
        .order_by("created_at")
        .first()
    )
    order = Order.objects.get(marketplace_order_id=row.order_id)
    assert (order.code, order.status_raw, order.currency) == (row.order_id, row.status, "BRL")
    assert order.status == Order.Status.DELIVERED  # COMPLETED, weeks ago
    assert order.total == row.total
    assert order.created_at == row.created_at.replace(microsecond=0)
    stored = {f.attname: getattr(order, f.attname) for f in Order._meta.concrete_fields}
    assert row.buyer_name not in repr(stored)
    assert row.buyer_name.lower().replace(" ", ".") not in repr(stored)


def test_the_next_import_starts_at_the_watermark_and_is_idempotent(shop):
    _import(shop)
    count = Order.objects.count()
    pulse = OrderPulse.objects.get(pk=shop.integration.pk)

    second = _import(shop)

    assert second.outcome == ImportOutcome.IMPORTED
    assert Order.objects.count() == count
    assert second.pages <= 2  # the overlap only
    assert OrderPulse.objects.get(pk=shop.integration.pk).watermark >= pulse.watermark


def test_each_list_call_spans_at_most_15_days_and_asks_at_most_100(shop, monkeypatch):
    seen = []
    provider = get_provider("shopee")
    real = type(provider).shop_call

    def spy(self, api_path, **kwargs):
        if api_path == signing.ORDER_LIST_PATH:
            seen.append(kwargs["params"])
        return real(self, api_path, **kwargs)

    monkeypatch.setattr(type(provider), "shop_call", spy)
    _import(shop)

    assert seen
    for params in seen:
        assert 0 <= int(params["time_to"]) - int(params["time_from"]) <= 15 * 86400
        assert 1 <= int(params["page_size"]) <= 100
        assert params["time_range_field"] == "update_time"


def test_the_stand_in_refuses_a_range_over_15_days(shop):
    reader = reader_for("shopee")
    now = reader.provider._now()
    start = int((now - timedelta(days=16)).timestamp())

    with pytest.raises(Exception) as raised:
        reader.provider.shop_call(
            signing.ORDER_LIST_PATH,
            access_token=shop.access_token,
            shop_id="880001",
            operation="orders",
            params={
                "time_range_field": "update_time",
                "time_from": str(start),
                "time_to": str(int(now.timestamp())),
                "page_size": "50",
            },
        )
    assert "400" in str(raised.value)


def test_the_position_walks_windows_then_stops_at_now(shop):
    reader = reader_for("shopee")
    since = timezone.now() - timedelta(days=20)

    page = reader.read_page(
        access_token=shop.access_token, account_id="880001", updated_since=since, cursor=0
    )
    positions = [page.next_cursor]
    while page.next_cursor is not None:
        page = reader.read_page(
            access_token=shop.access_token,
            account_id="880001",
            updated_since=since,
            cursor=page.next_cursor,
        )
        positions.append(page.next_cursor)

    starts = {int(p.partition(":")[0]) for p in positions if p}
    assert int(since.timestamp()) in starts
    assert int((since + timedelta(days=15)).timestamp()) in starts  # the second window
    assert positions[-1] is None


def test_a_401_refreshes_once_through_the_keeper_and_retries(shop):
    faults.arm(faults.API, faults.UNAUTHORIZED, marketplace="shopee")

    assert _import(shop).outcome == ImportOutcome.IMPORTED
    assert faults.token_requests("refresh_token", outcome="ok", marketplace="shopee") == 1
    assert Order.objects.exists()


def test_a_dead_grant_takes_the_expiry_path(shop, django_capture_on_commit_callbacks):
    faults.arm(faults.API, faults.UNAUTHORIZED, marketplace="shopee")
    faults.arm(faults.REFRESH, faults.INVALID_GRANT, marketplace="shopee")

    with django_capture_on_commit_callbacks(execute=True):
        assert _import(shop).outcome == ImportOutcome.EXPIRED

    assert Integration.objects.get(pk=shop.integration.pk).status == Integration.Status.EXPIRED
    assert not Order.objects.exists()
