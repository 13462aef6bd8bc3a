"""The import task under the one retry policy (``integrations.sync.retry``): Celery retries a
temporary failure no sooner than Retry-After, holding the integration's slot meanwhile; out of
retries, or run inline, it gives up and frees the slot for the next sweep."""

import pytest
from celery.exceptions import Retry

from integrations.orders.models import OrderPulse
from integrations.orders.services.sweep import import_slot
from integrations.orders.tasks import import_integration_task
from marketplaces.sandbox import faults
from tests.worker_run import run_as_worker

pytestmark = pytest.mark.usefixtures("sandbox_http")


def test_a_rate_limited_import_is_retried_no_sooner_than_retry_after(ml_account, settings):
    settings.INTEGRATIONS_REFRESH_BACKOFF_BASE_SECONDS = 1
    faults.arm(faults.API, faults.RATE_LIMITED, marketplace="mercadolivre", retry_after=90)
    pk = ml_account.integration.pk
    assert import_slot(pk).take(countdown=0)  # as the sweep does

    retry, sent = run_as_worker(import_integration_task, pk)

    assert isinstance(retry, Retry) and retry.when == 90
    (signature,), _ = sent.call_args
    assert signature.options["countdown"] == 90
    assert (list(signature.args), signature.kwargs) == ([pk], {})  # the id, never a token
    assert import_slot(pk).take(countdown=0) is False  # still queued: no second import
    assert OrderPulse.objects.get(pk=pk).last_import_failure == OrderPulse.Failure.TEMPORARY


def test_out_of_retries_the_import_gives_up_and_frees_the_slot(ml_account, settings):
    settings.INTEGRATIONS_REFRESH_MAX_RETRIES = 2
    faults.arm(faults.API, faults.UNAVAILABLE, marketplace="mercadolivre")
    pk = ml_account.integration.pk
    assert import_slot(pk).take(countdown=0)

    result, sent = run_as_worker(import_integration_task, pk, retries=2)

    assert result == {"integration_id": pk, "outcome": "unavailable"}
    sent.assert_not_called()
    assert import_slot(pk).take(countdown=0) is True  # the next sweep may import it


def test_run_inline_the_import_does_not_retry_at_once(ml_account, eager_tasks):
    faults.arm(faults.API, faults.UNAVAILABLE, marketplace="mercadolivre", times=2)
    pk = ml_account.integration.pk

    result = import_integration_task.apply(args=[pk]).get()

    assert result == {"integration_id": pk, "outcome": "unavailable"}
    assert import_slot(pk).take(countdown=0) is True
