"""/metrics: off without its token, 401 without the credential, and the operator's numbers after
a refresh, a failure and an import driven through the stand-ins."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from config.email_settings import counted
from integrations.models import Integration
from integrations.orders.services.importing import ImportOutcome, orders_import
from integrations.services.refresh import RefreshOutcome, integration_refresh
from marketplaces import TemporarilyUnavailable
from marketplaces.sandbox import faults
from observe.mail import emails_sent_count
from tests.factories import IntegrationFactory
from tests.integrations.conftest import sandbox_account

TOKEN = "metrics-test-token-0123456789"
COUNTED_LOCMEM = counted({"BACKEND": "django.core.mail.backends.locmem.EmailBackend"})
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sandbox_http")]


def _scrape(client) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_off_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer"]
)
def test_metrics_refuse_a_missing_or_wrong_credential(client, settings, authorization):
    settings.METRICS_TOKEN = TOKEN
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"hub_" not in response.content


@override_settings(METRICS_TOKEN=TOKEN, MAILERS={"default": COUNTED_LOCMEM})
def test_metrics_after_a_refresh_a_failure_and_an_import(
    client, seller, seller_user, django_capture_on_commit_callbacks
):
    emails_before = emails_sent_count()
    refreshed = sandbox_account(seller=seller)
    revoked = sandbox_account(seller=seller, tenant="123456002", marketplace="mercadolivre")
    imported = sandbox_account(seller=seller, tenant="123456003", marketplace="mercadolivre")
    imported.integration.access_token_expires_at = timezone.now() + timedelta(hours=5)
    imported.integration.save()

    assert integration_refresh(integration_id=refreshed.integration.pk).refreshed
    faults.arm(faults.REFRESH, faults.RATE_LIMITED, marketplace="magalu", retry_after=30)
    with pytest.raises(TemporarilyUnavailable):
        integration_refresh(integration_id=refreshed.integration.pk, force=True)
    faults.arm(faults.REFRESH, faults.INVALID_GRANT, marketplace="mercadolivre")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = integration_refresh(integration_id=revoked.integration.pk).outcome
    assert outcome == RefreshOutcome.EXPIRED
    assert orders_import(integration_id=imported.integration.pk).outcome == ImportOutcome.IMPORTED
    faults.arm(faults.API, faults.UNAVAILABLE, marketplace="magalu", times=10)
    with pytest.raises(TemporarilyUnavailable):
        orders_import(integration_id=refreshed.integration.pk)

    samples = _scrape(client)

    refresh = "hub_refresh_outcomes_recent"
    assert _value(samples, refresh, marketplace="magalu", outcome="refreshed", cause="none") == 1
    assert _value(samples, refresh, marketplace="magalu", outcome="failed", cause="rate_limited")
    expired = {"marketplace": "mercadolivre", "outcome": "expired", "cause": "revoked"}
    assert _value(samples, refresh, **expired) == 1
    assert _value(samples, "hub_integrations", marketplace="mercadolivre", status="expired") == 1
    assert _value(samples, "hub_orders_import_failing", marketplace="magalu") == 1
    assert _value(samples, "hub_orders_import_failing", marketplace="mercadolivre") == 0
    assert _value(samples, "hub_orders_import_lag_seconds", marketplace="mercadolivre") < 60
    assert _value(samples, "hub_emails_sent_total") - emails_before == 1  # the reactivation link
    assert _value(samples, "hub_metrics_window_seconds") == 3600


@override_settings(METRICS_TOKEN=TOKEN)
def test_leases_and_the_lateness_of_the_oldest_due_integration(client):
    now = timezone.now()
    # Magalu refreshes 15 minutes before expiry: due since 10 minutes.
    IntegrationFactory(access_token_expires_at=now + timedelta(minutes=5))
    IntegrationFactory(access_token_expires_at=now + timedelta(hours=2))
    IntegrationFactory(
        marketplace="mercadolivre",
        refresh_lease_id="0b9e1c36-4c1e-4a57-9b4c-7bd27b1d2f10",
        refresh_lease_expires_at=now - timedelta(minutes=1),
    )
    IntegrationFactory(expired=True, access_token_expires_at=now - timedelta(days=3))

    samples = _scrape(client)

    lateness = _value(samples, "hub_refresh_oldest_due_lateness_seconds", marketplace="magalu")
    assert 590 <= lateness <= 620
    assert (
        _value(samples, "hub_refresh_oldest_due_lateness_seconds", marketplace="mercadolivre") == 0
    )
    stale = {"marketplace": "mercadolivre", "state": "stale"}
    assert _value(samples, "hub_refresh_leases_held", **stale) == 1
    assert _value(samples, "hub_refresh_lease_oldest_age_seconds", marketplace="mercadolivre") > 60


@pytest.mark.redis
@override_settings(METRICS_TOKEN=TOKEN)
def test_queue_depth_is_the_length_of_the_celery_queue_in_redis(client):
    from observe.redis_client import redis_client

    queue = "celery"
    redis = redis_client()
    before = redis.llen(queue)
    redis.rpush(queue, "a", "b")
    try:
        samples = _scrape(client)
    finally:
        redis.lrem(queue, 1, "a")
        redis.lrem(queue, 1, "b")
    assert _value(samples, "hub_celery_queue_length", queue=queue) == before + 2
    assert _value(samples, "hub_redis_up") == 1


def test_no_token_material_in_the_metrics(client, seller, seller_user, settings):
    settings.METRICS_TOKEN = TOKEN
    account = sandbox_account(seller=seller)
    integration_refresh(integration_id=account.integration.pk)
    body = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).content.decode()
    integration = Integration.objects.get(pk=account.integration.pk)
    for secret in (integration.access_token, integration.refresh_token, account.refresh_token):
        assert secret not in body
