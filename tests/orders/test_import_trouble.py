"""Import trouble: evented once when it starts and once when it ends, told to the seller's users
once it has lasted past the threshold (and again when it ends), and shown as the account's
health in the same words on the Marketplaces page and in the history."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from integrations.account_health import State, health_of
from integrations.models import IntegrationEvent
from integrations.orders.models import OrderPulse
from integrations.orders.services.importing import ImportOutcome, orders_import
from marketplaces import TemporarilyUnavailable
from marketplaces.sandbox import faults

pytestmark = pytest.mark.usefixtures("sandbox_http")

Kind = IntegrationEvent.Kind


def _import(account):
    try:
        return orders_import(integration_id=account.integration.pk)
    except TemporarilyUnavailable:
        return None


def _trouble_events(account) -> list[str]:
    kinds = (Kind.IMPORT_FAILING, Kind.IMPORT_RECOVERED)
    events = account.integration.events.filter(kind__in=kinds).order_by("created_at", "id")
    return list(events.values_list("kind", flat=True))


def test_a_failing_spell_is_evented_once_when_it_starts_and_once_when_it_ends(
    ml_account, django_capture_on_commit_callbacks
):
    faults.arm(faults.API, faults.SERVER_ERROR, marketplace="mercadolivre", times=3)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert _import(ml_account) is None

    pulse = OrderPulse.objects.get(pk=ml_account.integration.pk)
    assert pulse.import_failing_since is not None
    assert pulse.last_import_failure == OrderPulse.Failure.TEMPORARY
    assert _trouble_events(ml_account) == [Kind.IMPORT_FAILING]
    health = health_of(ml_account.integration, pulse)
    assert health.state == State.IMPORT_FAILING and health.tone == "notice"
    assert "HTTP 500" in health.line
    assert mail.outbox == []  # not yet past the threshold

    with django_capture_on_commit_callbacks(execute=True):
        assert _import(ml_account).outcome == ImportOutcome.IMPORTED

    pulse.refresh_from_db()
    assert pulse.import_failing_since is None and pulse.last_import_error == ""
    assert _trouble_events(ml_account) == [Kind.IMPORT_FAILING, Kind.IMPORT_RECOVERED]
    assert health_of(ml_account.integration, pulse).state == State.OK
    assert mail.outbox == []  # nobody was told of the trouble: no news of its end either


def test_past_the_threshold_the_seller_is_told_once_and_told_again_when_it_ends(
    ml_account, seller_client, settings, django_capture_on_commit_callbacks
):
    settings.ORDERS_IMPORT_FAILING_ALERT_MINUTES = 30
    faults.arm(faults.API, faults.SERVER_ERROR, marketplace="mercadolivre", times=100)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(8):  # every 5 minutes for 35 minutes
                _import(ml_account)
                traveller.shift(timedelta(minutes=5))

        told = [message for message in mail.outbox if "importados" in message.subject]
        assert len(told) == 1, [m.subject for m in mail.outbox]
        assert ml_account.integration.account_name in told[0].subject
        assert _trouble_events(ml_account) == [Kind.IMPORT_FAILING]

        page = seller_client.get(reverse("integrations:marketplaces")).content.decode()
        assert "Falha ao importar pedidos desde" in page
        history = seller_client.get(
            reverse("integrations:history", args=[ml_account.integration.pk])
        ).content.decode()
        assert "Falha ao importar pedidos: " in history

        faults.clear()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert _import(ml_account).outcome == ImportOutcome.IMPORTED

    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Pedidos voltaram a ser importados"]
    page = seller_client.get(reverse("integrations:marketplaces")).content.decode()
    assert "Falha ao importar pedidos" not in page
    assert "Última importação" in page
    history = seller_client.get(
        reverse("integrations:history", args=[ml_account.integration.pk])
    ).content.decode()
    assert "A importação de pedidos voltou a funcionar" in history


def test_a_refused_import_says_support_is_on_it(ml_account):
    faults.arm(faults.API, faults.UNAUTHORIZED, marketplace="mercadolivre", times=5)

    assert _import(ml_account).outcome == ImportOutcome.REFUSED

    pulse = OrderPulse.objects.get(pk=ml_account.integration.pk)
    assert pulse.last_import_failure == OrderPulse.Failure.REFUSED
    assert "Nossa equipe foi avisada" in health_of(ml_account.integration, pulse).line
