"""Mercado Livre's missed feed read back: each message stored once as a notification via
missed_feed, with the dedup key its pushed copy has."""

import json
import re
from datetime import timedelta

import pytest
import responses

from integrations.models import Integration
from integrations.orders.models import Order
from integrations.push.missed_feeds import NoAccountToRead, missed_feed_read
from integrations.push.models import Notification
from integrations.push.services.drain import notifications_drain
from integrations.push.tasks import missed_feeds_sweep_task
from marketplaces import get_provider
from marketplaces.sandbox import push_sweep
from tests.factories import IntegrationFactory
from tests.sandbox.push_helpers import new_order, quiet_feed

pytestmark = pytest.mark.django_db

ML = "mercadolivre"


def _message(order_id: int, *, received: str = "2026-12-06T07:00:00.000Z") -> dict:
    return {
        "_id": f"msg-{order_id}",
        "resource": f"/orders/{order_id}",
        "user_id": 123456002,
        "topic": "orders_v2",
        "application_id": 9999,
        "attempts": 8,
        "sent": "2026-12-06T07:10:00.000Z",
        "received": received,
        "request": {"url": "https://hub.test/push/mercadolivre/"},
        "response": {"http_code": 503},
    }


def _feed_url() -> re.Pattern:
    api = get_provider(ML).config.api_url.rstrip("/")
    return re.compile(re.escape(f"{api}/missed_feeds") + r"\?.*")


def _pages(*pages: list[dict]):
    total = sum(len(page) for page in pages)
    offset = 0
    for page in pages:
        body = {"messages": page, "paging": {"total": total, "offset": offset, "limit": 50}}
        responses.add(responses.GET, _feed_url(), json=body)
        offset += len(page)


@responses.activate
def test_the_feed_is_read_page_by_page_and_stored_via_missed_feed():
    integration = IntegrationFactory(marketplace=ML, external_id="123456002")
    _pages([_message(1), _message(2)], [_message(3)])

    result = missed_feed_read(marketplace=ML)

    assert (result.pages, result.read, result.stored, result.rejected) == (2, 3, 3, 0)
    rows = Notification.objects.order_by("resource_id")
    assert [(n.via, n.state, n.topic, n.account_id, n.resource_id) for n in rows] == [
        ("missed_feed", "pending", "orders_v2", "123456002", str(i)) for i in (1, 2, 3)
    ]
    first = responses.calls[0].request
    assert f"app_id={get_provider(ML).config.client_id}" in first.url
    assert "topic=orders_v2" in first.url and "offset=0" in first.url
    assert first.headers["Authorization"] == f"Bearer access-{integration.public_id}"
    assert "offset=2" in responses.calls[1].request.url
    assert "request" not in json.loads(rows[0].body)  # the notification, not the delivery log


@responses.activate
def test_a_message_already_pushed_is_not_stored_twice():
    IntegrationFactory(marketplace=ML)
    provider = get_provider(ML)
    pushed = json.dumps({k: v for k, v in _message(7).items() if k not in ("request", "response")})
    notice = provider.push_parser(provider).parse(pushed.encode())
    Notification.objects.create(
        marketplace=ML,
        dedup_key=notice.dedup_key,
        via=Notification.Via.PUSH,
        topic="orders_v2",
        account_id="123456002",
        resource_id="7",
        state=Notification.State.DONE,
    )
    _pages([_message(7), _message(8)])

    result = missed_feed_read(marketplace=ML)

    assert result.stored == 1
    assert dict(Notification.objects.values_list("resource_id", "via")) == {
        "7": "push",
        "8": "missed_feed",
    }
    responses.add(
        responses.GET,
        _feed_url(),
        json={"messages": [_message(7), _message(8)], "paging": {"total": 2}},
    )
    assert missed_feed_read(marketplace=ML).stored == 0  # the feed read again
    assert Notification.objects.count() == 2


@responses.activate
def test_a_refused_token_moves_to_the_next_account_and_no_account_is_an_error():
    IntegrationFactory(marketplace=ML)
    IntegrationFactory(marketplace=ML)
    responses.add(responses.GET, _feed_url(), status=401, json={"message": "invalid token"})
    _pages([_message(1)])

    assert missed_feed_read(marketplace=ML).stored == 1

    Integration.objects.update(status=Integration.Status.EXPIRED)
    with pytest.raises(NoAccountToRead):
        missed_feed_read(marketplace=ML)


@responses.activate
def test_the_beat_task_reads_every_feed_and_survives_an_outage():
    IntegrationFactory(marketplace=ML)
    responses.add(responses.GET, _feed_url(), status=503)

    assert missed_feeds_sweep_task.apply().get() == {"stored": 0}
    assert not Notification.objects.exists()


@pytest.mark.usefixtures("sandbox_http")
def test_an_order_whose_notification_was_lost_arrives_by_the_missed_feed(ml_account, hub, settings):
    """The stand-in loses the notification; the hub reads it back from the stand-in's
    /missed_feeds, the drain fetches the order with the account's token: missed_feed."""
    settings.MERCADOLIVRE_SANDBOX_PUSH_DROP_SHARE = 1
    feed = quiet_feed(ML, ml_account.integration.external_id)
    new_order(feed, 2000000000101, placed_ago=timedelta(minutes=30))
    push_sweep.sweep()
    assert hub.bodies(ML) == []  # never delivered

    result = missed_feed_read(marketplace=ML)
    notifications_drain()

    assert (result.read, result.stored) == (1, 1)
    notice = Notification.objects.get()
    assert (notice.via, notice.state, notice.resource_id) == (
        "missed_feed",
        "done",
        "2000000000101",
    )
    order = Order.objects.get(marketplace_order_id="2000000000101")
    assert order.integration == ml_account.integration
    assert order.arrived_via == Order.Arrival.MISSED_FEED
    assert missed_feed_read(marketplace=ML).stored == 0  # read again: kept once


@responses.activate
def test_a_long_backlog_is_read_on_over_several_runs_with_one_page_of_overlap(settings):
    settings.PUSH_MISSED_FEEDS_MAX_PAGES = 2
    IntegrationFactory(marketplace=ML)
    backlog = [_message(order_id) for order_id in range(1, 151)]

    def feed(*offsets: int) -> None:
        responses.reset()
        for offset in offsets:
            body = {"messages": backlog[offset : offset + 50], "paging": {"total": len(backlog)}}
            responses.add(responses.GET, _feed_url(), json=body)

    feed(0, 50)
    assert missed_feed_read(marketplace=ML).stored == 100  # stopped at 100 of 150

    feed(50, 100)
    result = missed_feed_read(marketplace=ML)

    assert (result.pages, result.read, result.stored) == (2, 100, 50)
    assert "offset=50" in responses.calls[0].request.url  # one page back: entries may expire
    assert "offset=100" in responses.calls[1].request.url
    assert Notification.objects.count() == 150
    backlog.clear()
    feed(0)
    missed_feed_read(marketplace=ML)  # the last run reached the end: this one starts afresh
    assert "offset=0" in responses.calls[0].request.url
