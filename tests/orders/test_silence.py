"""The silence of an account that usually sells: learnt per integration, probed, told, cleared."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from integrations.models import Integration, IntegrationEvent
from integrations.orders.models import Order, OrderPulse
from integrations.orders.services.importing import orders_import
from integrations.orders.services.silence import (
    SilenceOutcome,
    integration_silence_check,
    usual_gap,
)
from marketplaces.sandbox import orders as feeds
from marketplaces.sandbox.models import SandboxGrantFamily

Kind = IntegrationEvent.Kind
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def at(*hours: float) -> list[datetime]:
    return [T0 + timedelta(hours=h) for h in hours]


# --- Learning the usual gap ----------------------------------------------------------------------


def test_no_judgement_without_enough_orders_or_days(settings):
    settings.ORDERS_SILENCE_MIN_ORDERS = 10
    assert usual_gap(at(*range(9))) is None  # 9 orders
    assert usual_gap(at(*[h / 10 for h in range(20)])) is None  # 20 orders in 2 hours


def test_a_high_percentile_of_the_gaps_never_below_the_floor(settings):
    settings.ORDERS_SILENCE_PERCENTILE = 95
    settings.ORDERS_SILENCE_FLOOR_HOURS = 2
    hourly = at(*range(0, 100))  # one an hour for 4 days and a bit
    assert usual_gap(hourly).gap == timedelta(hours=2)  # the floor wins over 1 h
    with_a_pause = at(*range(0, 95), 110, 111, 112, 113, 114)
    assert usual_gap(with_a_pause).gap == timedelta(hours=2)  # one 16 h gap is the 1 %
    sparse = at(*range(0, 300, 6))  # every 6 hours
    assert usual_gap(sparse).gap == timedelta(hours=6)


# --- Against the stand-in's feeds --------------------------------------------------------------


@pytest.fixture
def busy(settings):
    settings.SANDBOX_ORDERS_MEAN_GAP_MINUTES = 30  # an order every half hour: usual gap ~ 2 h


def _check(account):
    return integration_silence_check(integration_id=account.integration.pk)


@pytest.mark.usefixtures("sandbox_http", "busy")
def test_a_quiet_account_with_a_valid_token_is_flagged_once(magalu_account, sandbox_http):
    feeds.stop_orders(
        "magalu", magalu_account.integration.external_id, at=timezone.now() - timedelta(hours=6)
    )
    orders_import(integration_id=magalu_account.integration.pk)

    assert _check(magalu_account) == SilenceOutcome.SILENT
    assert _check(magalu_account) == SilenceOutcome.SILENT

    pulse = OrderPulse.objects.get(pk=magalu_account.integration.pk)
    assert pulse.silent_since == pulse.last_order_at
    assert 7000 <= pulse.usual_gap_seconds <= 4 * 3600
    (event,) = magalu_account.integration.events.filter(kind=Kind.ORDERS_SILENT)
    hours = int(event.details.removeprefix("Sem pedidos novos há ").split(" ")[0])
    # Counted from the last order, which came some time (random, as in the feed) before the stop.
    since_last = (event.created_at - pulse.last_order_at).total_seconds() // 3600
    assert hours >= 6 and hours in (since_last - 1, since_last)  # the check ran just before
    assert "o token foi conferido e está válido" in event.details
    probes = [
        c for c in sandbox_http.calls if c.path.endswith("/seller/v1/orders") and c.status == 200
    ]
    assert len(probes) >= 2  # the import, then the probe (once: the second check does not probe)


@pytest.mark.usefixtures("sandbox_http", "busy")
def test_orders_coming_back_clear_the_flag(ml_account):
    _flag_then_resume(ml_account)
    with time_machine.travel(_first_new_order(ml_account), tick=False):
        assert _check(ml_account) == SilenceOutcome.SELLING

    assert OrderPulse.objects.get(pk=ml_account.integration.pk).silent_since is None
    assert ml_account.integration.events.filter(kind=Kind.ORDERS_RESUMED).count() == 1


def _flag_then_resume(account) -> None:
    """Eight quiet hours, flagged; then the account's orders arrive again from now on."""
    account_id = account.integration.external_id
    feeds.stop_orders("mercadolivre", account_id, at=timezone.now() - timedelta(hours=8))
    orders_import(integration_id=account.integration.pk)
    assert _check(account) == SilenceOutcome.SILENT
    feeds.resume_orders("mercadolivre", account_id)


def _first_new_order(account) -> datetime:
    """Imports in 10-minute steps from now until an order newer than the last one comes in, and
    says when that was. Arrivals are random (exponential gaps around 30 min), so a fixed wait
    could find none, or find the last one already older than the usual gap."""
    last = OrderPulse.objects.get(pk=account.integration.pk).last_order_at
    start = timezone.now()
    for step in range(1, 8 * 6):
        moment = start + timedelta(minutes=10 * step)
        with time_machine.travel(moment, tick=False):
            orders_import(integration_id=account.integration.pk)
        if OrderPulse.objects.get(pk=account.integration.pk).last_order_at > last:
            return moment
    pytest.fail("no order arrived in the 8 hours after the feed resumed")


@pytest.mark.usefixtures("sandbox_http", "busy")
def test_a_new_silence_after_orders_came_back_is_told_anew(ml_account):
    _flag_then_resume(ml_account)
    # Orders come back and stop again before any check ran in between.
    later = _first_new_order(ml_account)
    feeds.stop_orders("mercadolivre", ml_account.integration.external_id, at=later)
    with time_machine.travel(later + timedelta(hours=8), tick=False):
        orders_import(integration_id=ml_account.integration.pk)
        assert _check(ml_account) == SilenceOutcome.SILENT

    pulse = OrderPulse.objects.get(pk=ml_account.integration.pk)
    assert pulse.silent_since == pulse.last_order_at
    events = ml_account.integration.events
    assert events.filter(kind=Kind.ORDERS_RESUMED).count() == 1
    assert events.filter(kind=Kind.ORDERS_SILENT).count() == 2


@pytest.mark.usefixtures("sandbox_http", "busy")
def test_a_quiet_account_whose_token_is_dead_takes_the_expiry_path(
    ml_account, django_capture_on_commit_callbacks
):
    feeds.stop_orders(
        "mercadolivre", ml_account.integration.external_id, at=timezone.now() - timedelta(hours=8)
    )
    orders_import(integration_id=ml_account.integration.pk)
    SandboxGrantFamily.objects.filter(marketplace="mercadolivre").update(revoked_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        assert _check(ml_account) == SilenceOutcome.TOKEN_DEAD

    integration = Integration.objects.get(pk=ml_account.integration.pk)
    assert integration.status == Integration.Status.EXPIRED
    assert OrderPulse.objects.get(pk=integration.pk).silent_since is None
    assert not integration.events.filter(kind=Kind.ORDERS_SILENT).exists()


@pytest.mark.usefixtures("sandbox_http")
def test_an_account_without_enough_history_is_never_flagged(ml_account, settings):
    settings.SANDBOX_ORDERS_MEAN_GAP_MINUTES = 60 * 24 * 6  # a handful of orders in 30 days
    feeds.stop_orders(
        "mercadolivre", ml_account.integration.external_id, at=timezone.now() - timedelta(days=4)
    )
    orders_import(integration_id=ml_account.integration.pk)
    # The feed is random: one run in seventy would bring ten orders. Judge against one more than
    # it brought, silent for four days whatever the gaps were.
    settings.ORDERS_SILENCE_MIN_ORDERS = (
        1 + Order.objects.filter(integration=ml_account.integration).count()
    )

    assert _check(ml_account) == SilenceOutcome.NOT_ENOUGH_HISTORY
    pulse = OrderPulse.objects.get(pk=ml_account.integration.pk)
    assert pulse.usual_gap_seconds is None and pulse.silent_since is None


@pytest.mark.usefixtures("sandbox_http", "busy")
def test_an_account_selling_as_usual_is_left_alone(magalu_account):
    orders_import(integration_id=magalu_account.integration.pk)

    assert _check(magalu_account) in (SilenceOutcome.SELLING,)
    assert not magalu_account.integration.events.filter(kind=Kind.ORDERS_SILENT).exists()
