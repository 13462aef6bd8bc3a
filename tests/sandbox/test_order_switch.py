"""The stand-ins' order switch, as a developer flips it from the command line."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from marketplaces.sandbox.models import SandboxOrderFeed
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def test_stop_then_resume_one_accounts_orders(capsys):
    integration = IntegrationFactory()
    other = IntegrationFactory()

    call_command("sandbox_orders", "stop", str(integration.pk), "--hours-ago", "6")

    feed = SandboxOrderFeed.objects.get(account_id=integration.external_id)
    assert abs(feed.stopped_at - (timezone.now() - timedelta(hours=6))) < timedelta(minutes=1)
    assert not feed.orders.filter(created_at__gt=feed.stopped_at).exists()
    assert not SandboxOrderFeed.objects.filter(
        account_id=other.external_id, stopped_at__isnull=False
    ).exists()

    call_command("sandbox_orders", "resume", str(integration.pk))
    feed.refresh_from_db()
    assert feed.stopped_at is None
    assert "Orders flow again" in capsys.readouterr().out


def test_an_unknown_integration_or_stand_ins_off_is_refused(settings):
    with pytest.raises(CommandError, match="No integration 999999"):
        call_command("sandbox_orders", "stop", "999999")
    settings.MARKETPLACE_SANDBOX = False
    with pytest.raises(CommandError, match="stand-ins are off"):
        call_command("sandbox_orders", "stop", "1")
