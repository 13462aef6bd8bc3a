import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from integrations import crypto
from integrations.models import Integration
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db


def _raw_columns(integration: Integration) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token_ciphertext, refresh_token_ciphertext FROM integrations_integration WHERE id = %s",
            [integration.pk],
        )
        return cursor.fetchone()


def test_round_trip_and_no_plaintext_in_the_database():
    integration = IntegrationFactory(tokens=("eyJ-access-plain-XYZ", "eyJ-refresh-plain-XYZ"))
    fresh = Integration.objects.get(pk=integration.pk)
    assert fresh.access_token == "eyJ-access-plain-XYZ"
    assert fresh.refresh_token == "eyJ-refresh-plain-XYZ"
    access_raw, refresh_raw = _raw_columns(integration)
    assert "plain-XYZ" not in access_raw and "plain-XYZ" not in refresh_raw
    assert access_raw.startswith("gAAAAA")  # a Fernet token


def test_ciphertext_copied_to_another_row_or_field_does_not_decrypt():
    one = IntegrationFactory(tokens=("access-one", "refresh-one"))
    other = IntegrationFactory(tokens=("access-two", "refresh-two"))
    other.access_token_ciphertext = one.access_token_ciphertext
    with pytest.raises(crypto.UndecryptableToken):
        _ = other.access_token
    one.refresh_token_ciphertext = one.access_token_ciphertext
    with pytest.raises(crypto.UndecryptableToken):
        _ = one.refresh_token


def test_wrong_key_is_undecryptable(settings):
    integration = IntegrationFactory()
    settings.TOKEN_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(crypto.UndecryptableToken):
        _ = Integration.objects.get(pk=integration.pk).access_token


def test_token_fingerprint_is_short_and_changes_with_the_token():
    integration = IntegrationFactory(tokens=("a1", "r1"))
    before = integration.token_fingerprint("access_token")
    integration.set_tokens(access_token="a2", refresh_token="r2")
    assert len(before) == 8 and before != integration.token_fingerprint("access_token")
    assert "a2" not in integration.token_fingerprint("access_token")


def test_key_rotation_keeps_old_tokens_readable_then_reencrypts(settings):
    old_key = settings.TOKEN_ENCRYPTION_KEYS[0]
    integration = IntegrationFactory(tokens=("access-rot", "refresh-rot"))
    new_key = Fernet.generate_key().decode()
    settings.TOKEN_ENCRYPTION_KEYS = [new_key, old_key]

    # Still readable under the old key while both are configured.
    assert Integration.objects.get(pk=integration.pk).access_token == "access-rot"
    assert crypto.needs_rotation(_raw_columns(integration)[0])

    call_command("rotate_token_keys", stdout=io.StringIO())

    access_raw, _ = _raw_columns(integration)
    assert Fernet(new_key).decrypt(access_raw.encode())  # now under the new key alone
    settings.TOKEN_ENCRYPTION_KEYS = [new_key]
    fresh = Integration.objects.get(pk=integration.pk)
    assert (fresh.access_token, fresh.refresh_token) == ("access-rot", "refresh-rot")


def test_invalid_key_is_refused_at_start():
    from django.core.exceptions import ImproperlyConfigured

    from config.devsecrets import validate_token_encryption_keys

    with pytest.raises(ImproperlyConfigured, match="key #2"):
        validate_token_encryption_keys([Fernet.generate_key().decode(), "not-a-key"])
