"""Each marketplace's push parser: real-shaped bodies, every refusal (a PushRejected with its
status and a pt-BR message), Shopee's signature, the source check."""

import pytest

from marketplaces import get_provider
from marketplaces.base.push import MAX_BODY_BYTES, NoticeKind, PushRejected
from marketplaces.base.values import Capability
from marketplaces.mercadolivre.config import MercadoLivreConfig
from tests.push.notices import (
    SHOPEE_URL,
    TENANT,
    body,
    magalu,
    magalu_notice,
    ml,
    ml_notice,
    shopee,
    shopee_notice,
    signature,
)

# --- the providers declare it ----------------------------------------------------------------


@pytest.mark.parametrize("key", ["magalu", "mercadolivre", "shopee"])
def test_each_marketplace_declares_its_push_parser(key):
    provider = get_provider(key)
    assert Capability.PUSH in provider.capabilities
    parser = provider.push_parser(provider)
    assert parser.topics and all(isinstance(v, str) and v for v in parser.topics.values())


# --- Mercado Livre ---------------------------------------------------------------------------


def test_ml_an_order_notice_names_the_order_and_the_user():
    notice = ml().parse(body(ml_notice()))

    assert (notice.kind, notice.topic, notice.account_id, notice.resource_id) == (
        NoticeKind.ORDER,
        "orders_v2",
        "123456001",
        "2000003508419013",
    )
    assert notice.sent_at is not None and notice.sent_at.isoformat().startswith("2026-12-06T07")
    assert len(notice.dedup_key) <= 128


def test_ml_the_legacy_orders_topic_is_an_order_too():
    notice = ml().parse(body(ml_notice(topic="orders", resource="/orders/42")))
    assert (notice.kind, notice.resource_id) == (NoticeKind.ORDER, "42")


def test_ml_a_retry_is_the_same_event_and_a_new_change_is_another():
    parser = ml()
    first = parser.parse(body(ml_notice()))
    retry = parser.parse(body(ml_notice(attempts=2, sent="2026-12-06T07:05:00.000Z")))
    later = parser.parse(body(ml_notice(received="2026-12-06T08:00:00.000Z")))
    other_order = parser.parse(body(ml_notice(resource="/orders/2000003508419014")))

    assert retry.dedup_key == first.dedup_key
    assert len({first.dedup_key, later.dedup_key, other_order.dedup_key}) == 3


@pytest.mark.parametrize(
    "topic", ["items", "questions", "shipments", "payments", "messages", "claims"]
)
def test_ml_documented_topics_the_hub_does_not_read_are_ignored(topic):
    notice = ml().parse(body(ml_notice(topic=topic, resource="/items/MLB123")))
    assert (notice.kind, notice.resource_id, notice.account_id) == (
        NoticeKind.IGNORED,
        "",
        "123456001",
    )


def test_ml_an_undocumented_topic_is_kept_as_unknown():
    notice = ml().parse(body(ml_notice(topic="vendas_futuras", resource="/x/1")))
    assert (notice.kind, notice.topic) == (NoticeKind.UNKNOWN, "vendas_futuras")


@pytest.mark.parametrize(
    "changes",
    [
        {"resource": "/orders/12/../../users/me"},
        {"resource": "/orders/abc"},
        {"resource": "/orders/1?x=1"},
        {"resource": "/orders/" + "9" * 21},
        {"resource": "orders/1"},
        {"user_id": "123456001"},
        {"user_id": True},
        {"user_id": 0},
        {"user_id": -5},
        {"user_id": 10**30},
        {"user_id": None},
        {"topic": 3},
        {"topic": ""},
        {"topic": "x" * 65},
        {"application_id": "abc"},
        {"attempts": 1.5},
        {"received": None},
        {"sent": []},
    ],
)
def test_ml_malformed_fields_are_refused_with_400(changes):
    with pytest.raises(PushRejected) as caught:
        ml().parse(body(ml_notice(**changes)))
    assert caught.value.status == 400
    assert "notificação" in str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"\xff\xfe", b"[1, 2]", b'"text"', b"null", b"[" * 100_000, b" " * 70_000],
)
def test_bodies_that_are_not_a_json_object_are_refused(raw):
    for parser in (ml(), magalu(), shopee()):
        with pytest.raises(PushRejected) as caught:
            parser.parse(raw)
        assert caught.value.status == 400


def test_a_body_over_the_size_limit_is_refused_even_when_valid():
    padded = ml_notice(padding="x" * MAX_BODY_BYTES)
    with pytest.raises(PushRejected):
        ml().parse(body(padded))


# --- Magalu ----------------------------------------------------------------------------------


def test_magalu_an_order_webhook_names_the_order_and_the_assumed_tenant():
    notice = magalu().parse(body(magalu_notice()))

    assert (notice.kind, notice.topic, notice.account_id, notice.resource_id) == (
        NoticeKind.ORDER,
        "orders",
        TENANT,
        "0f8e3c1a-0000-4000-8000-000000000001",
    )


def test_magalu_the_tenant_may_be_on_the_body_itself():
    notice = magalu_notice(tenant_id=None)
    notice["tenant_id"] = TENANT
    assert magalu().parse(body(notice)).account_id == TENANT


@pytest.mark.parametrize("tenant", [None, "", 42, "../../etc", "x" * 65])
def test_magalu_a_notice_naming_no_readable_tenant_is_kept_without_an_account(tenant):
    notice = magalu().parse(body(magalu_notice(tenant_id=tenant)))
    assert (notice.kind, notice.account_id) == (NoticeKind.ORDER, "")


def test_magalu_a_bare_resource_name_works_and_deliveries_are_ignored():
    parser = magalu()
    assert parser.parse(body(magalu_notice(resource="orders"))).kind == NoticeKind.ORDER
    delivery = parser.parse(
        body(
            magalu_notice(
                resource="/seller/v1/deliveries/0f8e3c1a-0000-4000-8000-000000000001",
                status="shipped",
            )
        )
    )
    assert (delivery.kind, delivery.resource_id) == (NoticeKind.IGNORED, "")
    unknown = parser.parse(body(magalu_notice(resource="/seller/v1/chats/1")))
    assert (unknown.kind, unknown.topic) == (NoticeKind.UNKNOWN, "/seller/v1/chats/1")


def test_magalu_an_identical_body_is_one_event_and_a_new_status_another():
    parser = magalu()
    first = parser.parse(body(magalu_notice()))
    again = parser.parse(body(magalu_notice()))
    cancelled = parser.parse(body(magalu_notice(status="cancelled")))
    assert first.dedup_key == again.dedup_key != cancelled.dedup_key


@pytest.mark.parametrize(
    "notice",
    [
        {},
        {"data": []},
        {"data": {"status": "new", "resource": "orders"}},
        {"data": {"status": "new", "resource": "orders", "params": {"id": "a/b"}}},
        {"data": {"status": "new", "resource": "orders", "params": {"id": 12}}},
        {"data": {"status": 1, "resource": "orders", "params": {"id": "a"}}},
        {"data": {"status": "new", "resource": "", "params": {"id": "a"}}},
    ],
)
def test_magalu_malformed_notices_are_refused_with_400(notice):
    with pytest.raises(PushRejected) as caught:
        magalu().parse(body(notice))
    assert caught.value.status == 400


# --- Shopee ----------------------------------------------------------------------------------


def test_shopee_an_order_status_push_names_the_order_and_the_shop():
    notice = shopee().parse(body(shopee_notice()))

    assert (notice.kind, notice.topic, notice.account_id, notice.resource_id) == (
        NoticeKind.ORDER,
        "3",
        "880001",
        "2612060001SBX",
    )
    assert notice.sent_at.timestamp() == 1796540400
    assert shopee().success_status // 100 == 2


def test_shopee_a_retry_with_another_timestamp_is_the_same_event():
    parser = shopee()
    first = parser.parse(body(shopee_notice()))
    retry = parser.parse(body(shopee_notice(timestamp=1796540460)))
    shipped = shopee_notice()
    shipped["data"] = {**shipped["data"], "status": "SHIPPED", "update_time": 1796550000}
    assert first.dedup_key == retry.dedup_key != parser.parse(body(shipped)).dedup_key


@pytest.mark.parametrize(
    ("code", "kind"), [(4, NoticeKind.IGNORED), (12, NoticeKind.IGNORED), (99, NoticeKind.UNKNOWN)]
)
def test_shopee_other_codes_are_ignored_or_unknown(code, kind):
    notice = shopee().parse(body(shopee_notice(code=code, data={"x": 1})))
    assert (notice.kind, notice.topic, notice.resource_id) == (kind, str(code), "")


@pytest.mark.parametrize(
    "changes",
    [
        {"code": "3"},
        {"code": None},
        {"shop_id": None},
        {"shop_id": "880001"},
        {"shop_id": 0},
        {"data": "x"},
        {"data": {"ordersn": "../x", "status": "SHIPPED"}},
        {"data": {"ordersn": "2612060001SBX", "status": ""}},
        {"data": {"ordersn": "2612060001SBX", "status": "SHIPPED", "update_time": "now"}},
    ],
)
def test_shopee_malformed_pushes_are_refused_with_400(changes):
    with pytest.raises(PushRejected) as caught:
        shopee().parse(body(shopee_notice(**changes)))
    assert caught.value.status == 400


def test_shopee_a_push_signed_with_the_partner_key_is_accepted():
    raw = body(shopee_notice())
    shopee().verify(url=SHOPEE_URL, headers={"authorization": signature(raw)}, body=raw)
    shopee().verify(url=SHOPEE_URL, headers={"Authorization": signature(raw).upper()}, body=raw)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "0" * 64},
        {"Authorization": "ção"},
        {"Authorization": signature(b"{}")},
        {"Authorization": signature(body(shopee_notice()), url=SHOPEE_URL + "x")},
        {"Authorization": signature(body(shopee_notice()), key="another")},
    ],
)
def test_shopee_an_unsigned_or_missigned_push_is_refused_with_401(headers):
    with pytest.raises(PushRejected) as caught:
        shopee().verify(url=SHOPEE_URL, headers=headers, body=body(shopee_notice()))
    assert caught.value.status == 401


def test_shopee_without_a_partner_key_nothing_verifies():
    raw = body(shopee_notice())
    with pytest.raises(PushRejected):
        shopee("").verify(
            url=SHOPEE_URL, headers={"Authorization": signature(raw, key="")}, body=raw
        )


# --- the source check ------------------------------------------------------------------------


def test_without_sources_any_address_passes():
    ml().check_source("203.0.113.9")
    ml().check_source("not an address")


def test_with_sources_only_their_addresses_pass():
    parser = ml(push_sources=("54.88.218.97/32", "18.215.140.160/27", "2001:db8::/32"))
    parser.check_source("54.88.218.97")
    parser.check_source("18.215.140.170")
    parser.check_source("2001:db8::1")
    parser.check_source("::ffff:54.88.218.97")  # an IPv4 peer on a dual-stack socket
    for address in ("54.88.218.98", "10.0.0.1", "2001:db9::1", "", "garbage", "::ffff:1.2.3.4"):
        with pytest.raises(PushRejected) as caught:
            parser.check_source(address)
        assert caught.value.status == 403


def test_sources_come_from_the_marketplace_settings_and_a_typo_stops_the_start(settings):
    settings.MERCADOLIVRE_PUSH_SOURCES = ["54.88.218.97/32", "18.215.140.160/27"]
    provider = get_provider("mercadolivre")
    assert provider.config.push_sources == ("54.88.218.97/32", "18.215.140.160/27")
    assert get_provider("magalu").config.push_sources == ()
    with pytest.raises(ValueError):
        MercadoLivreConfig(
            client_id="1", client_secret="s", redirect_uri="h", push_sources=("54.88.x/8",)
        )
