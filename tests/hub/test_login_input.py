"""The login form refuses what no account can be, before the lockout records it."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = [pytest.mark.django_db]


def test_a_username_longer_than_any_account_is_refused_with_a_message(client):
    response = client.post(reverse("login"), {"username": "a" * 300, "password": "x"})

    assert response.status_code == 200
    assert "O usuário tem no máximo 150 caracteres." in response.content.decode()
    assert not AccessAttempt.objects.exists()
