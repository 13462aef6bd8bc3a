"""No admin page ever holds token material: neither the stored plaintexts nor the ciphertexts."""

import pytest

from integrations import crypto
from integrations.models import AuthorizationAttempt, IntegrationEvent
from tests.admin import admin_url, make_attempt, make_event
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCESS = "AT-plaintext-7f3a9c1e-never-shown"
REFRESH = "RT-plaintext-0b8d2e44-never-shown"
VERIFIER = "pkce-verifier-5e1f0a77-never-shown-xxxxxxxxxxxxxxxxxxxx"


@pytest.fixture
def secrets_world(support_user):
    integration = IntegrationFactory(tokens=(ACCESS, REFRESH), account_name="Segredo Ltda")
    member = UserFactory(membership__seller=integration.seller)
    make_event(integration, IntegrationEvent.Kind.REFRESHED, actor=support_user)
    attempt = make_attempt(
        integration=integration,
        user=member,
        verifier=VERIFIER,
        chosen_external_id="tenant-z",
        chosen_account_name="Z Ltda",
    )
    # A pair waiting for the seller's choice among several accounts.
    attempt.offered_accounts = [
        {"external_id": "77", "name": "Loja 77", "connected": False, "reason": ""}
    ]
    attempt.grant_ciphertext = crypto.encrypt(f"{ACCESS} {REFRESH}", context="attempt:x:grant")
    attempt.save()
    expired = IntegrationFactory(expired=True, seller=integration.seller)
    return integration, attempt, expired


def _forbidden(integration, attempt) -> list[str]:
    values = [
        ACCESS,
        REFRESH,
        VERIFIER,
        integration.access_token_ciphertext,
        integration.refresh_token_ciphertext,
        attempt.code_verifier_ciphertext,
        attempt.grant_ciphertext,
        attempt.state_hash,
        attempt.session_hash,
    ]
    assert all(values)
    return values


@pytest.mark.parametrize("as_superuser", [False, True])
def test_no_admin_page_contains_a_token(
    client, support_user, superuser, secrets_world, as_superuser
):
    integration, attempt, expired = secrets_world
    client.force_login(superuser if as_superuser else support_user)
    attempt = AuthorizationAttempt.objects.get(pk=attempt.pk)
    pages = [
        admin_url("index"),
        admin_url("integrations_integration_changelist"),
        admin_url("integrations_integration_changelist") + "?q=Segredo",
        admin_url("integrations_integration_change", integration.pk),
        admin_url("integrations_integration_history", integration.pk),
        admin_url("integrations_integration_overview"),
        admin_url("integrations_integrationevent_changelist"),
        admin_url("integrations_authorizationattempt_changelist"),
        admin_url("integrations_authorizationattempt_change", attempt.pk),
        admin_url("integrations_authorizationattempt_accept", attempt.pk),
        admin_url("hub_seller_change", integration.seller_id),
        *[
            admin_url("integrations_integration_action", integration.pk, slug)
            for slug in ("renovar-agora", "marcar-expirado", "enviar-link", "desconectar")
        ],
    ]
    bodies = {}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content.decode()
    confirmation = client.post(
        admin_url("integrations_integration_changelist"),
        {
            "action": "disconnect",
            "select_across": "0",
            "index": "0",
            "_selected_action": [integration.pk, expired.pk],
        },
    )
    bodies["list action confirmation"] = confirmation.content.decode()

    for where, body in bodies.items():
        for secret in _forbidden(integration, attempt):
            assert secret not in body, f"token material in {where}"
