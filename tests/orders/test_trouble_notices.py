"""Import trouble past its threshold and a silence, with their ends, reach the seller's users as
notices and e-mails (the words are tested in tests/notices)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from integrations.notices.models import Cause, Notice
from integrations.orders.models import OrderPulse
from integrations.orders.services.import_trouble import import_failed, import_succeeded
from tests.factories import IntegrationFactory
from tests.orders.test_silence import (  # noqa: F401
    SilenceOutcome,
    _check,
    _first_new_order,
    _flag_then_resume,
    busy,
)


def _causes(user) -> list[str]:
    return list(Notice.objects.filter(user=user).order_by("pk").values_list("cause", flat=True))


@pytest.mark.django_db
def test_a_failing_spell_past_the_threshold_and_its_end(
    seller, seller_user, settings, django_capture_on_commit_callbacks
):
    settings.ORDERS_IMPORT_FAILING_ALERT_MINUTES = 30
    integration = IntegrationFactory(seller=seller)
    pulse = OrderPulse.objects.create(integration=integration)

    with django_capture_on_commit_callbacks(execute=True):
        import_failed(pulse=pulse, error="serviço indisponível (HTTP 500)", failure="temporary")
    assert _causes(seller_user) == [] and mail.outbox == []  # not yet past the threshold

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        with django_capture_on_commit_callbacks(execute=True):
            import_failed(pulse=pulse, error="serviço indisponível (HTTP 500)", failure="temporary")
            import_failed(pulse=pulse, error="serviço indisponível (HTTP 500)", failure="temporary")
        pulse.refresh_from_db()
        with django_capture_on_commit_callbacks(execute=True):
            import_succeeded(pulse=pulse, new_orders=0, watermark=None, last_order_at=None)

    assert _causes(seller_user) == [Cause.IMPORT_FAILING, Cause.IMPORT_RECOVERED]
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Pedidos não estão sendo importados",
        "Pedidos voltaram a ser importados",
    ]
    assert "Motivo: serviço indisponível (HTTP 500)" in mail.outbox[0].body


@pytest.mark.usefixtures("sandbox_http", "busy")
def test_a_silence_and_its_end(ml_account, seller_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _flag_then_resume(ml_account)
    assert _causes(seller_user) == [Cause.SILENCE]
    with (
        time_machine.travel(_first_new_order(ml_account), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert _check(ml_account) == SilenceOutcome.SELLING

    assert _causes(seller_user) == [Cause.SILENCE, Cause.ORDERS_RESUMED]
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Sem pedidos novos",
        "Pedidos voltaram a chegar",
    ]
    assert "o token foi conferido e está válido" in mail.outbox[0].body
