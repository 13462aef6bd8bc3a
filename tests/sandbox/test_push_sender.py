"""The stand-ins push what changed, in each marketplace's own body, to the hub's endpoint."""

import hashlib
import hmac
import re
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from marketplaces import get_provider
from marketplaces.sandbox import outbox, push_conf, push_delivery, push_sweep
from marketplaces.sandbox.models import SandboxGrantFamily, SandboxOrderFeed, SandboxPushMessage
from tests.sandbox.push_helpers import (
    DOWN,
    MAGALU_TENANT,
    ML_USER,
    SHOPEE_SHOP,
    new_order,
    quiet_feed,
    subscribe,
)

pytestmark = pytest.mark.django_db
ML_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def test_mercado_livre_points_at_the_order(hub):
    account, _tokens = subscribe("mercadolivre")
    new_order(quiet_feed("mercadolivre", account), 2000000000101)

    counts = push_sweep.sweep()

    assert counts["delivered"] == 1
    (body,) = hub.bodies("mercadolivre")
    assert set(body) == {
        "_id",
        "resource",
        "user_id",
        "topic",
        "application_id",
        "attempts",
        "sent",
        "received",
    }
    assert body["resource"] == "/orders/2000000000101"
    assert body["user_id"] == ML_USER and body["topic"] == "orders_v2"
    assert isinstance(body["application_id"], int) and body["attempts"] == 1
    assert ML_MOMENT.fullmatch(body["sent"]) and ML_MOMENT.fullmatch(body["received"])
    assert body["received"] <= body["sent"]
    assert hub.requests[0].headers["Content-Type"] == "application/json"


def test_magalu_names_the_order_its_status_and_the_tenant(hub):
    account, _tokens = subscribe("magalu")
    feed = quiet_feed("magalu", account)
    new_order(feed, 1)
    # Invoiced 2 hours after it was placed: the delivery webhooks' news, not the order's.
    new_order(feed, 2, status="invoiced", placed_ago=timedelta(hours=2, seconds=5))

    push_sweep.sweep()

    assert hub.bodies("magalu") == [
        {
            "data": {"status": "new", "params": {"id": "1"}, "resource": "/seller/v1/orders/1"},
            "tenant_id": MAGALU_TENANT,
        }
    ]


def test_shopee_pushes_are_signed_with_the_partner_key(hub):
    account, _tokens = subscribe("shopee")
    order = new_order(quiet_feed("shopee", account), 260100000007)

    push_sweep.sweep()

    (request,) = hub.requests
    body = hub.bodies("shopee")[0]
    assert body["shop_id"] == SHOPEE_SHOP and body["code"] == 3
    assert abs(body["timestamp"] - timezone.now().timestamp()) < 60
    assert body["data"] == {
        "ordersn": "260100000007",
        "status": "UNPAID",
        "update_time": int(order.updated_at.timestamp()),
    }
    key = get_provider("shopee").config.client_secret.encode()
    signed = request.url.encode() + b"|" + request.body
    assert request.url == "http://hub.test/push/shopee/"
    assert request.headers["Authorization"] == hmac.new(key, signed, hashlib.sha256).hexdigest()


def test_an_accounts_history_is_not_news_and_nothing_is_sent_twice(hub):
    account, _tokens = subscribe("mercadolivre")
    old = timezone.now()

    push_sweep.sweep()  # first sight: the feed's 30 days of history are marked, not sent
    feed = SandboxOrderFeed.objects.get(marketplace="mercadolivre", account_id=account)
    assert feed.orders.exists() and feed.pushed_until >= old
    assert hub.requests == []

    new_order(feed, 2000000000555)
    push_sweep.sweep()
    push_sweep.sweep()
    resources = [b["resource"] for b in hub.bodies()]
    assert resources.count("/orders/2000000000555") == 1


def test_a_status_change_is_notified_when_the_order_takes_it(hub):
    account, _tokens = subscribe("shopee")
    order = new_order(quiet_feed("shopee", account), 260100000008)
    push_sweep.sweep()

    # Four minutes on, the order has taken its next status (INVOICE_PENDING after 3 minutes).
    later = timezone.now() + timedelta(minutes=4)
    sender = push_conf.senders()["shopee"]
    assert outbox.queue_changes(sender, now=later) == 1
    with requests.Session() as session:
        push_delivery.deliver_due(sender, session=session, now=later)

    assert [b["data"]["status"] for b in hub.bodies()] == ["UNPAID", "INVOICE_PENDING"]
    assert hub.bodies()[1]["data"]["update_time"] == int(
        (order.created_at + timedelta(minutes=3)).timestamp()
    )


def test_only_accounts_that_authorized_the_hub_are_notified(hub):
    new_order(quiet_feed("mercadolivre", str(ML_USER)), 2000000000777)  # no grant

    push_sweep.sweep()

    assert hub.requests == []
    assert outbox.subscribed_accounts(push_conf.senders()["mercadolivre"]) == []


def test_a_main_account_s_shops_are_notified_before_each_splits_off():
    # One pair covers the main account's shops until each one's first refresh.
    SandboxGrantFamily.objects.create(
        marketplace="shopee", account_id="main:770001", created_at=timezone.now()
    )

    accounts = outbox.subscribed_accounts(push_conf.senders()["shopee"])

    assert accounts == ["880001", "880003", "880004"]


def test_a_hub_that_is_down_never_breaks_the_stand_in(hub):
    hub.answer(DOWN, 503)
    account, _tokens = subscribe("magalu")
    feed = quiet_feed("magalu", account)
    new_order(feed, 1)
    new_order(feed, 2)

    counts = push_sweep.sweep()

    assert counts["failed_attempts"] == 2 and counts["delivered"] == 0
    channel = outbox.channel("magalu")
    assert channel.failed_attempts == 2 and channel.failures_in_row == 2
    assert channel.disabled_at is None  # Magalu documents no switching off
    assert set(SandboxPushMessage.objects.values_list("state", flat=True)) == {"pending"}


def test_nothing_is_sent_with_pushing_off_or_for_a_marketplace_not_offered(hub, settings):
    account, _tokens = subscribe("mercadolivre")
    new_order(quiet_feed("mercadolivre", account), 2000000000888)
    settings.MARKETPLACES = ["magalu"]
    push_sweep.sweep()
    settings.SANDBOX_PUSH = False
    assert push_sweep.sweep()["queued"] == 0

    assert hub.requests == []
    assert set(push_conf.senders()) == {"magalu", "mercadolivre", "shopee"}
