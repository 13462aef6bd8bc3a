"""Operators' refresh_tokens and the no-Redis keep_tokens_alive loop."""

import threading
import time
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from config.celery import app as celery_app
from integrations.management.commands import keep_tokens_alive
from integrations.models import Integration
from marketplaces.sandbox import faults
from tests.factories import IntegrationFactory
from tests.integrations.conftest import SELLER_TENANTS, sandbox_account


def _run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("refresh_tokens", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_needs_an_integration_or_all_due():
    with pytest.raises(CommandError, match=r"Informe --integration ID ou --all-due\."):
        _run()
    with pytest.raises(CommandError, match=r"Integração não encontrada: 999999\."):
        _run("--integration", "999999")


def test_one_integration_is_renewed_now_even_before_it_is_due(sandbox_http, seller):
    account = sandbox_account(seller=seller, expires_in=timedelta(hours=2))

    out, err = _run("--integration", str(account.integration.pk))

    assert "1 integração(ões) — renovados: 1 · não vencidos: 0 · expirados: 0 · falhas: 0" in out
    assert "Renovando tokens" in err and "100%" in err  # the progress bar
    assert account.reload().access_token != account.access_token


def test_all_due_reports_renewed_not_due_expired_and_failed(sandbox_http, seller, seller_user):
    # Refreshed soonest-expiring first: the first armed fault hits the first one, and so on.
    dead = sandbox_account(seller=seller, tenant=SELLER_TENANTS[0], expires_in=timedelta(minutes=1))
    down = sandbox_account(seller=seller, tenant=SELLER_TENANTS[1], expires_in=timedelta(minutes=2))
    fine = sandbox_account(seller=seller, tenant=SELLER_TENANTS[2], expires_in=timedelta(minutes=3))
    sandbox_account(seller=seller, tenant=SELLER_TENANTS[3], expires_in=timedelta(hours=1))
    gone = IntegrationFactory(seller=seller, expired=True)
    faults.arm(faults.REFRESH, faults.INVALID_GRANT)
    faults.arm(faults.REFRESH, faults.UNAVAILABLE)

    out = StringIO()
    with pytest.raises(CommandError, match="1 renovação"):
        call_command(
            "refresh_tokens",
            "--all-due",
            "--integration",
            str(gone.pk),
            stdout=out,
            stderr=StringIO(),
        )

    text = out.getvalue()
    assert "4 integração(ões) — renovados: 1 · não vencidos: 1 · expirados: 1 · falhas: 1" in text
    assert f"integração {dead.integration.pk}: expired" in text
    assert f"integração {down.integration.pk}: indisponível agora (503); continua Ativa" in text
    assert dead.reload().status == Integration.Status.EXPIRED
    assert down.reload().is_active and fine.reload().is_active
    assert fine.integration.access_token != fine.access_token
    for account in (dead, down, fine):
        assert account.refresh_token not in text


def test_keep_tokens_alive_once_refreshes_what_is_due_inline(
    transactional_db, sandbox_http, due_account
):
    eager_before = celery_app.conf.task_always_eager
    out = StringIO()

    call_command("keep_tokens_alive", "--once", stdout=out)

    assert "1 renovação(ões) executada(s)." in out.getvalue()
    assert due_account.reload().events.get().kind == "refreshed"
    assert celery_app.conf.task_always_eager == eager_before  # restored


def _keeper_with_schedule(schedule: dict, *, wakes: int) -> tuple[list, str]:
    """Runs keep_tokens_alive over ``schedule`` (beat's entries) until its ``wakes``-th wait,
    each wait sleeping for real the time the loop asked for; returns the waits and its output."""
    waits = []

    def wait(self, timeout=None):
        waits.append(timeout)
        if len(waits) == wakes:
            raise KeyboardInterrupt
        time.sleep(timeout)
        return False

    out = StringIO()
    with (
        mock.patch.object(keep_tokens_alive, "FIRST_RUN_DELAY_SECONDS", 0),
        mock.patch.object(threading.Event, "wait", wait),
        mock.patch.dict(celery_app.conf.beat_schedule, schedule, clear=True),
    ):
        call_command("keep_tokens_alive", stdout=out)
    return waits, out.getvalue()


@pytest.mark.django_db
def test_keep_tokens_alive_loops_until_ctrl_c(settings):
    settings.INTEGRATIONS_SWEEP_INTERVAL_SECONDS = 0.05
    refresh = {"task": "integrations.refresh_sweep", "schedule": 0.05}

    waits, text = _keeper_with_schedule({"refresh": refresh}, wakes=3)

    assert len(waits) == 3 and all(0 < wait <= 0.05 for wait in waits)
    assert text.count("0 renovação(ões) executada(s).") == 3
    assert text.rstrip().endswith("Token keeper parado.")


@pytest.mark.django_db
def test_a_frequent_task_does_not_run_the_others_at_its_pace(settings):
    settings.INTEGRATIONS_SWEEP_INTERVAL_SECONDS = 60
    schedule = {
        "refresh": {"task": "integrations.refresh_sweep", "schedule": 60.0},
        "drain": {"task": "push.drain", "schedule": 0.02},
    }

    waits, text = _keeper_with_schedule(schedule, wakes=4)

    # It wakes for the frequent one, and the refresh sweep still runs once a minute: once here.
    assert all(wait <= 0.02 for wait in waits[1:])
    assert text.count("renovação(ões) executada(s).") == 1
