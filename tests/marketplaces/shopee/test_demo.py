"""The demo's Shopee shop shows its authorization's end, as a shop connected by a seller does."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from integrations.models import Integration

pytestmark = pytest.mark.django_db


def test_the_demo_s_active_shop_knows_when_its_authorization_ends():
    call_command("seed_demo", verbosity=0)

    active = Integration.objects.get(marketplace="shopee", status=Integration.Status.ACTIVE)
    a_year = timezone.now() + timedelta(days=365)
    assert abs(active.authorization_expires_at - a_year) < timedelta(minutes=5)
