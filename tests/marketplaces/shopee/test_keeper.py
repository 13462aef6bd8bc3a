"""The token keeper on Shopee, against the stand-in: 4 h tokens renewed with the shop's id by a
signed call, rotation with reuse detection, the lease, unknown outcomes and the lost renewal, the
health check through get_shop_info."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import Integration, IntegrationEvent
from integrations.services.health import HealthOutcome, integration_health_check
from integrations.services.refresh import RefreshOutcome, integration_refresh
from integrations.services.rotation import VerifyOutcome, integration_verify_rotation
from marketplaces import TemporarilyUnavailable
from marketplaces.sandbox import faults
from marketplaces.sandbox.models import SandboxGrantFamily
from marketplaces.shopee.provider import ShopeeProvider

pytestmark = pytest.mark.usefixtures("sandbox_http")


def test_a_refresh_rotates_keeps_four_hours_and_the_authorization_end(shop):
    ends = shop.integration.authorization_expires_at

    result = integration_refresh(integration_id=shop.integration.pk)

    assert result.refreshed
    integration = shop.reload()
    assert integration.refresh_token != shop.refresh_token
    assert integration.refresh_token.startswith("shp-rt-")
    left = integration.access_token_expires_at - timezone.now()
    assert timedelta(hours=3, minutes=59) < left <= timedelta(hours=4)
    assert integration.authorization_expires_at == ends  # a renewal does not extend it
    assert faults.token_requests("refresh_token", outcome="ok", marketplace="shopee") == 1


def test_only_the_newest_refresh_token_works_a_reused_one_revokes_the_grant(shop):
    assert integration_refresh(integration_id=shop.integration.pk).refreshed
    integration = shop.reload()
    integration.set_tokens(access_token="shp-at-old", refresh_token=shop.refresh_token)
    integration.access_token_expires_at = timezone.now()
    integration.save()

    assert integration_refresh(integration_id=integration.pk).outcome == RefreshOutcome.EXPIRED
    assert SandboxGrantFamily.objects.get(marketplace="shopee").revoked_at is not None
    expired = shop.reload()
    assert expired.status == Integration.Status.EXPIRED
    assert "Shopee" in expired.last_error and "error_auth" in expired.last_error


def test_the_lease_is_committed_before_the_signed_request_leaves(shop, monkeypatch):
    seen = []
    real = ShopeeProvider.refresh

    def spy(provider, *, refresh_token, account_id=""):
        row = Integration.objects.get(pk=shop.integration.pk)
        seen.append((row.refresh_lease_id is not None, account_id))
        return real(provider, refresh_token=refresh_token, account_id=account_id)

    monkeypatch.setattr(ShopeeProvider, "refresh", spy)

    assert integration_refresh(integration_id=shop.integration.pk).refreshed

    assert seen == [(True, "880001")]
    assert shop.reload().refresh_lease_id is None


def test_a_refusal_before_any_work_is_retried_with_the_same_token(shop):
    faults.arm(faults.REFRESH, faults.UNAVAILABLE, marketplace="shopee")

    with pytest.raises(TemporarilyUnavailable):
        integration_refresh(integration_id=shop.integration.pk)
    assert shop.reload().is_active  # never Token Expirado for a 503
    assert integration_refresh(integration_id=shop.integration.pk).refreshed


def test_an_answer_lost_after_rotating_waits_then_is_a_lost_renewal(shop, settings):
    faults.arm(faults.REFRESH, faults.LOST_RESPONSE, marketplace="shopee", delay_ms=0)

    with pytest.raises(TemporarilyUnavailable):
        integration_refresh(integration_id=shop.integration.pk)
    integration = shop.reload()
    assert integration.rotation_unknown_since is not None  # the evidence, kept in PostgreSQL
    assert integration.is_active

    settings.INTEGRATIONS_ROTATION_WINDOW_MINUTES = 0
    result = integration_refresh(integration_id=shop.integration.pk)

    assert result.outcome == RefreshOutcome.LOST
    lost = shop.reload()
    assert lost.status == Integration.Status.EXPIRED
    assert lost.last_error.startswith("Renovação perdida: Shopee")
    assert lost.events.filter(kind=IntegrationEvent.Kind.REFRESH_LOST).exists()


def test_a_late_answer_that_did_arrive_is_verified_and_confirmed(shop, settings):
    """A gateway's 502 after the stand-in rotated: the retry finds the token dead; a token the
    hub does hold is checked with get_shop_info once the window has passed."""
    settings.INTEGRATIONS_ROTATION_WINDOW_MINUTES = 0
    Integration.objects.filter(pk=shop.integration.pk).update(
        rotation_verify_after=timezone.now() - timedelta(seconds=1)
    )

    assert integration_verify_rotation(integration_id=shop.integration.pk) == (
        VerifyOutcome.CONFIRMED
    )
    assert shop.reload().rotation_verify_after is None


def test_a_rotated_token_the_hub_never_received_is_found_by_the_verification(shop, settings):
    from marketplaces.shopee.standin import issuer

    issuer.renew(refresh_token=shop.refresh_token, shop_id=880001)  # rotated elsewhere
    Integration.objects.filter(pk=shop.integration.pk).update(
        rotation_verify_after=timezone.now() - timedelta(seconds=1)
    )

    assert integration_verify_rotation(integration_id=shop.integration.pk) == VerifyOutcome.LOST
    assert shop.reload().expiry_cause == Integration.ExpiryCause.LOST_ROTATION


def test_the_health_check_goes_through_a_signed_get_shop_info(shop, sandbox_http):
    result = integration_health_check(integration_id=shop.integration.pk)

    assert result.outcome == HealthOutcome.HEALTHY
    assert ("GET", "/sandbox/shopee-api/api/v2/shop/get_shop_info", 200) in [
        (call.method, call.path, call.status) for call in sandbox_http.calls
    ]


def test_a_revoked_authorization_found_by_the_health_check_expires_it(shop):
    SandboxGrantFamily.objects.filter(marketplace="shopee").update(revoked_at=timezone.now())

    result = integration_health_check(integration_id=shop.integration.pk)

    assert (result.outcome, result.refresh) == (HealthOutcome.EXPIRED, RefreshOutcome.EXPIRED)
    assert shop.reload().status == Integration.Status.EXPIRED
