"""The faults a real sender has, each a stand-in setting: duplicates, reordering, loss, delay,
retries, and Mercado Livre's topics switched off."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplaces.sandbox import missed, outbox, push_sweep
from marketplaces.sandbox.models import SandboxPushMessage
from tests.sandbox.push_helpers import (
    DOWN,
    TIMEOUT,
    new_order,
    quiet_feed,
    subscribe,
)

pytestmark = pytest.mark.django_db
State = SandboxPushMessage.State


@pytest.fixture
def ml_feed(hub):
    account, _tokens = subscribe("mercadolivre")
    return quiet_feed("mercadolivre", account)


def missed_ids(key: str = "mercadolivre") -> list[str]:
    rows, _total = missed.missed_page(key, offset=0, limit=50)
    return [row.order_id for row in rows]


def test_a_duplicate_is_the_same_notification_sent_twice(hub, ml_feed, settings):
    settings.MERCADOLIVRE_SANDBOX_PUSH_DUPLICATE_SHARE = 1
    new_order(ml_feed, 2000000000001)

    push_sweep.sweep()  # the original
    assert len(hub.requests) == 1
    SandboxPushMessage.objects.update(due_at=timezone.now())  # its twin follows a second later
    push_sweep.sweep()

    first, second = hub.bodies()
    assert first == second | {"sent": first["sent"]}  # one event: same _id, received, attempts
    assert first["_id"] == second["_id"] and first["attempts"] == second["attempts"] == 1


def test_a_dropped_notification_is_never_sent_and_is_listed_as_missed(hub, ml_feed, settings):
    settings.MERCADOLIVRE_SANDBOX_PUSH_DROP_SHARE = 1
    new_order(ml_feed, 2000000000002)

    push_sweep.sweep()
    push_sweep.sweep()

    assert hub.requests == []
    assert missed_ids() == ["2000000000002"]


def test_one_held_back_arrives_after_a_later_one(hub, ml_feed, settings):
    settings.MERCADOLIVRE_SANDBOX_PUSH_OUT_OF_ORDER_SHARE = 1
    new_order(ml_feed, 2000000000003)
    push_sweep.sweep()
    assert hub.requests == []  # held until a later notification has gone

    settings.MERCADOLIVRE_SANDBOX_PUSH_OUT_OF_ORDER_SHARE = 0
    new_order(ml_feed, 2000000000004)
    push_sweep.sweep()

    assert [b["resource"] for b in hub.bodies()] == [
        "/orders/2000000000004",
        "/orders/2000000000003",
    ]


def test_one_held_back_goes_alone_when_nothing_overtakes_it(hub, ml_feed, settings):
    settings.MERCADOLIVRE_SANDBOX_PUSH_OUT_OF_ORDER_SHARE = 1
    settings.MERCADOLIVRE_SANDBOX_PUSH_HOLD_MAX_SECONDS = 60
    new_order(ml_feed, 2000000000005)
    push_sweep.sweep()
    assert hub.requests == []

    SandboxPushMessage.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    push_sweep.sweep()
    assert [b["resource"] for b in hub.bodies()] == ["/orders/2000000000005"]


def test_a_delay_holds_every_notification(hub, ml_feed, settings):
    settings.MERCADOLIVRE_SANDBOX_PUSH_DELAY_SECONDS = 30
    new_order(ml_feed, 2000000000006)

    push_sweep.sweep()
    assert hub.requests == []
    message = SandboxPushMessage.objects.get()
    assert timedelta(seconds=29) < message.due_at - message.created_at <= timedelta(seconds=30)


def test_a_refused_or_unanswered_notification_is_retried_with_attempts_counted(
    hub, ml_feed, settings
):
    settings.MERCADOLIVRE_SANDBOX_PUSH_RETRY_SCHEDULE = (0, 0)
    hub.answer(500, TIMEOUT)
    new_order(ml_feed, 2000000000007)

    for _ in range(3):
        push_sweep.sweep()

    assert [b["attempts"] for b in hub.bodies()] == [1, 2, 3]
    assert len({(b["_id"], b["received"]) for b in hub.bodies()}) == 1
    assert SandboxPushMessage.objects.get().state == State.DELIVERED
    assert missed_ids() == []  # acknowledged in the end
    assert outbox.channel("mercadolivre").failures_in_row == 0


def test_a_retry_waits_its_turn_and_a_notification_out_of_retries_is_missed(hub, ml_feed, settings):
    settings.MERCADOLIVRE_SANDBOX_PUSH_RETRY_SCHEDULE = (600,)
    hub.answer(500, DOWN)
    new_order(ml_feed, 2000000000008)

    push_sweep.sweep()
    push_sweep.sweep()  # not due yet: ten minutes
    assert len(hub.requests) == 1
    assert missed_ids() == ["2000000000008"]  # unacknowledged so far: listed already

    SandboxPushMessage.objects.update(due_at=timezone.now())
    push_sweep.sweep()
    message = SandboxPushMessage.objects.get()
    assert (message.state, message.attempts, message.last_status) == (State.FAILED, 2, None)
    assert missed_ids() == ["2000000000008"]


def test_with_topics_off_nothing_is_sent_and_all_is_missed(hub, ml_feed):
    outbox.set_topics("mercadolivre", enabled=False, reason="teste")
    new_order(ml_feed, 2000000000009)
    new_order(ml_feed, 2000000000010)

    push_sweep.sweep()

    assert hub.requests == []
    assert missed_ids() == ["2000000000009", "2000000000010"]

    outbox.set_topics("mercadolivre", enabled=True)
    new_order(ml_feed, 2000000000011)
    push_sweep.sweep()
    assert [b["resource"] for b in hub.bodies()] == ["/orders/2000000000011"]
    assert missed_ids() == ["2000000000009", "2000000000010"]  # never sent afterwards


def test_too_many_failures_switch_mercado_livres_topics_off(hub, ml_feed, settings):
    settings.MERCADOLIVRE_SANDBOX_PUSH_DISABLE_AFTER_FAILURES = 2
    settings.MERCADOLIVRE_SANDBOX_PUSH_RETRY_SCHEDULE = (0, 0, 0)
    hub.answer(500, 502, 500)
    for number in (12, 13, 14):
        new_order(ml_feed, 2000000000000 + number)

    push_sweep.sweep()

    assert len(hub.requests) == 2  # the third found the topics off
    channel = outbox.channel("mercadolivre")
    assert channel.disabled_at is not None and channel.disabled_reason == "2 falhas seguidas"
    assert set(SandboxPushMessage.objects.values_list("state", flat=True)) == {State.SUPPRESSED}
    assert len(missed_ids()) == 3

    push_sweep.sweep()
    assert len(hub.requests) == 2


def test_missed_notifications_are_kept_about_two_days(hub, ml_feed, settings):
    settings.MERCADOLIVRE_SANDBOX_PUSH_DROP_SHARE = 1
    new_order(ml_feed, 2000000000015)
    push_sweep.sweep()
    SandboxPushMessage.objects.update(created_at=timezone.now() - timedelta(hours=47))
    assert missed_ids() == ["2000000000015"]

    SandboxPushMessage.objects.update(created_at=timezone.now() - timedelta(hours=49))
    assert missed_ids() == []
    push_sweep.sweep()
    assert not SandboxPushMessage.objects.exists()  # forgotten
