"""POST /push/<key>/: what it keeps, what it refuses, and what it queues, before answering."""

import json
from unittest import mock

import pytest
import redis
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from integrations.push.models import Notification
from integrations.push.services.drain import notifications_drain
from tests.push.conftest import OURS, ml_notice, push
from tests.push.notices import PARTNER_KEY, shopee_notice, signature

pytestmark = pytest.mark.django_db

URL = "/push/mercadolivre/"


def test_the_url_is_one_per_marketplace():
    assert reverse("push:receive", args=["mercadolivre"]) == URL


def test_a_notification_is_kept_once_with_its_raw_body_and_answered_empty(client, queued_drains):
    notice = ml_notice(OURS, "2000000000042")

    first = push(client, notice, address="198.51.100.7")
    again = push(client, notice, address="198.51.100.7")  # Mercado Livre's retry

    assert (first.status_code, first.content) == (200, b"")
    assert (again.status_code, again.content) == (200, b"")
    kept = Notification.objects.get()
    assert kept.marketplace == "mercadolivre" and kept.via == Notification.Via.PUSH
    assert kept.state == Notification.State.PENDING
    assert (kept.topic, kept.account_id, kept.resource_id) == ("orders_v2", OURS, "2000000000042")
    assert json.loads(kept.body) == notice
    assert kept.source == "198.51.100.7"
    assert kept.sent_at is not None and kept.claimed_until is None and kept.attempts == 0
    assert len(queued_drains) == 1  # the duplicate queues nothing


def test_topics_the_hub_does_not_read_are_kept_settled_and_queue_nothing(client, queued_drains):
    assert push(client, ml_notice(OURS, "1", topic="items")).status_code == 200
    assert push(client, ml_notice(OURS, "1", topic="brand_new_topic")).status_code == 200

    states = dict(Notification.objects.values_list("topic", "state"))
    assert states == {"items": "ignored", "brand_new_topic": "unknown_topic"}
    assert queued_drains == []


def test_a_burst_queues_at_most_the_drain_concurrency_not_one_per_notification(
    client, queued_drains, settings
):
    settings.PUSH_DRAIN_CONCURRENCY = 3
    for number in range(25):
        assert push(client, ml_notice(OURS, str(2000000000000 + number))).status_code == 200

    assert Notification.objects.count() == 25
    assert sorted(sent["kwargs"]["slot"] for sent in queued_drains) == [0, 1, 2]


def test_a_drain_that_ends_frees_its_slot_for_the_next_notification(
    client, queued_drains, settings
):
    settings.PUSH_DRAIN_CONCURRENCY = 1
    push(client, ml_notice(OURS, "2000000000100"))
    push(client, ml_notice(OURS, "2000000000101"))  # the one slot is taken: no second drain
    assert [sent["kwargs"] for sent in queued_drains] == [{"slot": 0}]
    Notification.objects.update(state=Notification.State.DONE)

    notifications_drain(slot=0)  # finds nothing left: its slot is free again
    push(client, ml_notice(OURS, "2000000000102"))

    assert [sent["kwargs"] for sent in queued_drains] == [{"slot": 0}, {"slot": 0}]


def test_no_csrf_token_session_or_login_is_needed():
    strict = Client(enforce_csrf_checks=True)

    response = push(strict, ml_notice(OURS, "2000000000042"))

    assert response.status_code == 200
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_other_methods_are_405_with_allow(client):
    for method in ("get", "put", "delete", "patch", "head", "options"):
        response = getattr(client, method)(URL)
        assert response.status_code == 405, method
        assert response["Allow"] == "POST"
    assert not Notification.objects.exists()


def test_unknown_keys_and_marketplaces_not_offered_are_404(client, settings):
    assert push(client, ml_notice(OURS, "1"), key="nope").status_code == 404
    settings.MARKETPLACES = ["shopee"]
    assert push(client, ml_notice(OURS, "1")).status_code == 404
    assert not Notification.objects.exists()


def test_a_body_over_the_cap_is_413_declared_or_not(client, settings):
    settings.PUSH_MAX_BODY_BYTES = 300
    notice = ml_notice(OURS, "1") | {"padding": "x" * 400}

    assert push(client, notice).status_code == 413
    # A Content-Length claiming more than the cap is refused before anything is read.
    assert push(client, ml_notice(OURS, "1"), CONTENT_LENGTH="10000000").status_code == 413
    assert not Notification.objects.exists()


def test_a_body_that_is_no_notification_is_400_in_portuguese(client):
    bad_json = push(client, b'{"topic": "orders_v2",')
    no_account = push(client, ml_notice(OURS, "1") | {"user_id": "abc"})

    assert bad_json.status_code == no_account.status_code == 400
    assert "JSON" in bad_json.content.decode() and "inválido" in no_account.content.decode()
    assert bad_json["Content-Type"].startswith("text/plain")
    assert not Notification.objects.exists()


def test_an_unsigned_notification_where_the_marketplace_signs_is_401(client):
    response = push(client, {"code": 3, "shop_id": 1, "data": {}}, key="shopee")

    assert response.status_code == 401
    assert not Notification.objects.exists()


def test_a_sender_outside_the_configured_sources_is_403(client, settings):
    settings.MERCADOLIVRE_PUSH_SOURCES = "203.0.113.0/24"

    refused = push(client, ml_notice(OURS, "1"), address="198.51.100.7")
    accepted = push(client, ml_notice(OURS, "2"), address="203.0.113.9")

    assert (refused.status_code, accepted.status_code) == (403, 200)
    assert Notification.objects.get().resource_id == "2"


def test_one_address_past_the_limit_is_429_with_retry_after(client, settings):
    settings.PUSH_RATE_LIMIT_PER_MINUTE = 3
    statuses = [
        push(client, ml_notice(OURS, "1"), address="192.0.2.33").status_code for _ in "1234"
    ]
    limited = push(client, ml_notice(OURS, "2"), address="192.0.2.33")
    elsewhere = push(client, ml_notice(OURS, "3"), address="192.0.2.34")

    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
    assert elsewhere.status_code == 200


class _Down:
    """A Redis client whose every command fails, as one whose server is gone."""

    def __init__(self, error: Exception):
        self.error = error

    def pipeline(self, **_):
        return self

    def incr(self, *_):
        return self

    def expire(self, *_, **__):
        return self

    def execute(self):
        raise self.error


def test_without_redis_notifications_are_still_accepted(client, settings, queued_drains):
    settings.PUSH_RATE_LIMIT_PER_MINUTE = 1
    down = redis.ConnectionError("Connection refused")
    with (
        mock.patch("hub.throttle.redis_client", return_value=_Down(down)),
        mock.patch("integrations.push.services.pace.store.add", side_effect=down),
    ):
        statuses = [push(client, ml_notice(OURS, str(n))).status_code for n in range(3)]

    assert statuses == [200, 200, 200]
    assert Notification.objects.count() == 3
    assert len(queued_drains) == 3  # no throttle without Redis: beat would drain anyway


def test_a_database_outage_is_503_never_an_acknowledgement(client):
    with mock.patch(
        "integrations.push.views.notification_keep", side_effect=OperationalError("down")
    ):
        response = push(client, ml_notice(OURS, "1"))

    assert response.status_code == 503 and response["Retry-After"]


def test_logs_name_ids_never_the_body(client, caplog, queued_drains):
    caplog.set_level("INFO", logger="integrations.push")
    push(client, ml_notice(OURS, "2000000000042") | {"secret_marker": "do-not-log-me"})

    assert "push.notification.received" in caplog.text
    assert "do-not-log-me" not in caplog.text


def test_a_signed_shopee_push_is_kept_and_answered_204_empty(client, settings):
    settings.SHOPEE_PARTNER_KEY = PARTNER_KEY
    raw = json.dumps(shopee_notice()).encode()
    url = "http://testserver/push/shopee/"  # as the hub sees itself, as registered at Shopee

    response = client.post(
        "/push/shopee/",
        raw,
        content_type="application/json",
        HTTP_AUTHORIZATION=signature(raw, url),
    )
    tampered = client.post(
        "/push/shopee/",
        raw.replace(b"880001", b"880002"),
        content_type="application/json",
        HTTP_AUTHORIZATION=signature(raw, url),
    )

    assert (response.status_code, response.content) == (204, b"")
    assert tampered.status_code == 401
    kept = Notification.objects.get()
    assert (kept.marketplace, kept.account_id, kept.resource_id) == (
        "shopee",
        "880001",
        "2612060001SBX",
    )
