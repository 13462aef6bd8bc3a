"""How the stand-ins' pushing runs: beat's schedule (so the in-process keeper too) and the
``sandbox_push`` command."""

from io import StringIO

import pytest
from celery import current_app as celery_app
from django.core.management import CommandError, call_command

from marketplaces.sandbox import outbox
from marketplaces.sandbox.tasks import PUSH_SWEEP_TASK
from tests.sandbox.push_helpers import (
    new_order,
    quiet_feed,
    subscribe,
)

pytestmark = pytest.mark.django_db


def test_beat_runs_the_push_sweep_every_few_seconds():
    entry = celery_app.conf.beat_schedule["sandbox.push-sweep"]
    assert entry["task"] == PUSH_SWEEP_TASK and entry["schedule"] == 5.0
    assert PUSH_SWEEP_TASK in celery_app.tasks


def test_the_in_process_keeper_pushes_too(hub):
    account, _tokens = subscribe("magalu")
    new_order(quiet_feed("magalu", account), 1)
    out = StringIO()

    call_command("keep_tokens_alive", "--once", stdout=out)

    assert [b["data"]["params"]["id"] for b in hub.bodies()] == ["1"]
    assert "1 entrega(s) de notificação dos simuladores executada(s)." in out.getvalue()


def test_the_command_sends_once(hub):
    account, _tokens = subscribe("shopee")
    new_order(quiet_feed("shopee", account), 260100000001)
    out = StringIO()

    call_command("sandbox_push", stdout=out)

    assert len(hub.requests) == 1
    assert "novas: 1 · entregues: 1 · falhas: 0" in out.getvalue()


def test_the_command_switches_a_stand_ins_topics():
    call_command(
        "sandbox_push", "--topics", "off", "--marketplace", "mercadolivre", stdout=StringIO()
    )
    assert not outbox.topics_enabled("mercadolivre")
    call_command(
        "sandbox_push", "--topics", "on", "--marketplace", "mercadolivre", stdout=StringIO()
    )
    assert outbox.topics_enabled("mercadolivre")
    with pytest.raises(CommandError, match="Informe --marketplace"):
        call_command("sandbox_push", "--topics", "off")
