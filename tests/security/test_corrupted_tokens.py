"""A token that no longer decrypts never crashes a page, the admin or the keeper."""

import pytest
from django.test import Client
from django.urls import reverse

from integrations.models import Integration, IntegrationEvent
from integrations.services.refresh import integration_refresh
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corrupted(seller):
    integration = IntegrationFactory(seller=seller, account_name="Loja Corrompida Ltda")
    Integration.objects.filter(pk=integration.pk).update(
        access_token_ciphertext="gAAAAAB-corrupted", refresh_token_ciphertext="not even fernet"
    )
    return integration


def test_seller_page_still_renders(seller_client, corrupted):
    response = seller_client.get(reverse("integrations:marketplaces"))
    assert response.status_code == 200
    assert "Loja Corrompida Ltda" in response.content.decode()


def test_admin_page_shows_it_is_unreadable(corrupted):
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True, membership=None))
    response = client.get(reverse("admin:integrations_integration_change", args=[corrupted.pk]))
    assert response.status_code == 200
    assert "ilegível" in response.content.decode()


def test_keeper_marks_it_for_reactivation_and_says_why(corrupted):
    integration_refresh(integration_id=corrupted.pk, force=True)
    corrupted.refresh_from_db()
    assert corrupted.status == Integration.Status.EXPIRED
    assert corrupted.last_error
    assert corrupted.events.filter(kind=IntegrationEvent.Kind.TOKEN_UNREADABLE).exists()
