"""A batch's token requests on a thread of their own: one in flight at a time, each leaving as soon
as the one before is answered, while the task's thread stores that answer and takes the next lease.

The token endpoint is ``responses`` here (the in-process stand-in would answer on the request's
thread, with a database connection that cannot see the test's rows); a real worker over real
sockets runs it in ``test_worker.py``.
"""

import json
import threading
from datetime import datetime, timedelta
from urllib.parse import parse_qs

import pytest
import responses
from django.utils import timezone

from integrations import tasks
from integrations.models import Integration, IntegrationEvent
from integrations.services.keeper_queue import integrations_enqueue_refresh_batch
from integrations.services.lease import lease_ttl
from marketplaces import get_provider
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

Kind = IntegrationEvent.Kind


@pytest.fixture
def overlap(settings):
    settings.INTEGRATIONS_REFRESH_OVERLAP = True
    return settings


@pytest.fixture
def endpoint(settings):
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        yield TokenEndpoint(mocked, get_provider("magalu").config.token_url)


@pytest.fixture
def due():
    soon = timezone.now() + timedelta(minutes=1)
    return [IntegrationFactory(access_token_expires_at=soon) for _ in range(3)]


class TokenEndpoint:
    """Rotates like ID Magalu; ``hold`` keeps one refresh token's answer until an event is set;
    counts how many requests are in flight at once."""

    def __init__(self, mocked: responses.RequestsMock, url: str):
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0
        self.order: list[str] = []
        self.holds: dict[str, threading.Event] = {}
        self.failures: dict[str, object] = {}
        self.answered: dict[str, datetime] = {}
        mocked.add_callback(responses.POST, url, callback=self)

    def __call__(self, request):
        sent = parse_qs(request.body)["refresh_token"][0]
        with self.lock:
            self.order.append(sent)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if sent in self.holds:
                assert self.holds[sent].wait(timeout=5), "the next lease never came"
            failure = self.failures.get(sent)
            if isinstance(failure, Exception):
                raise failure
            if failure is not None:
                return failure
            body = {
                "access_token": f"access-after-{sent}",
                "refresh_token": f"refresh-after-{sent}",
                "expires_in": 7200,
                "token_type": "Bearer",
                "scope": "open:order-order:read open:portfolio:read",
            }
            return 200, {}, json.dumps(body)
        finally:
            with self.lock:
                self.in_flight -= 1
                self.answered[sent] = timezone.now()


def _prepared(integration, monkeypatch) -> threading.Event:
    """Set once the batch has taken ``integration``'s lease."""
    event = threading.Event()
    real_prepare = tasks.refresh_prepare

    def prepare(*, integration_id, **kwargs):
        prepared = real_prepare(integration_id=integration_id, **kwargs)
        if integration_id == integration.pk:
            event.set()
        return prepared

    monkeypatch.setattr(tasks, "refresh_prepare", prepare)
    return event


def _run(ids: list[int]) -> dict:
    integrations_enqueue_refresh_batch(integration_ids=ids)
    return tasks.refresh_batch_task(ids)  # as a worker runs it


def test_the_next_lease_is_taken_while_the_request_before_waits_for_its_answer(
    overlap, endpoint, due, sent_tasks, monkeypatch
):
    first, second, third = due
    second_prepared = threading.Event()
    endpoint.holds[first.refresh_token] = second_prepared
    leases = {}
    real_prepare = tasks.refresh_prepare

    def prepare(*, integration_id, **kwargs):
        started = timezone.now()
        prepared = real_prepare(integration_id=integration_id, **kwargs)
        leases[integration_id] = (started, prepared.lease.expires_at)
        if integration_id == second.pk:
            second_prepared.set()
        return prepared

    monkeypatch.setattr(tasks, "refresh_prepare", prepare)

    result = _run([first.pk, second.pk, third.pk])

    assert result["outcomes"] == {"refreshed": 3}
    assert endpoint.order == [first.refresh_token, second.refresh_token, third.refresh_token]
    assert endpoint.most_in_flight == 1  # one request in flight per worker, as before
    ttl = lease_ttl(get_provider("magalu"))
    # The first lease covers its own request; a later one also the wait for the request before.
    assert leases[first.pk][1] <= leases[first.pk][0] + ttl + timedelta(seconds=1)
    for integration in (second, third):
        started, expires_at = leases[integration.pk]
        assert expires_at >= started + 2 * ttl
    for integration in due:
        stored = Integration.objects.get(pk=integration.pk)
        assert stored.refresh_token == f"refresh-after-{integration.refresh_token}"
        assert stored.refresh_lease_id is None
        assert stored.events.get().kind == Kind.REFRESHED


def test_a_refused_and_an_unanswered_request_are_told_apart_and_the_others_stored(
    overlap, endpoint, due, sent_tasks, monkeypatch, django_capture_on_commit_callbacks
):
    import requests

    first, second, third = due
    endpoint.failures[first.refresh_token] = (400, {}, json.dumps({"error": "invalid_grant"}))
    endpoint.failures[second.refresh_token] = requests.exceptions.ReadTimeout("no answer")
    endpoint.holds[first.refresh_token] = _prepared(second, monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        result = _run([first.pk, second.pk, third.pk])

    assert result["outcomes"] == {"expired": 1, "retry_scheduled": 1, "refreshed": 1}
    assert Integration.objects.get(pk=first.pk).status == Integration.Status.EXPIRED
    unanswered = Integration.objects.get(pk=second.pk)
    assert unanswered.is_active and unanswered.refresh_lease_id is None
    # Its lease was taken before the first answer came; the evidence dates from when its own
    # request left, after that answer: the late-arrival window starts then.
    assert unanswered.rotation_unknown_since >= endpoint.answered[first.refresh_token]
    assert list(unanswered.events.values_list("kind", flat=True)) == [Kind.REFRESH_FAILED]
    [retry] = [task for task in sent_tasks if task.name == "integrations.refresh_integration"]
    assert retry.args == (second.pk,)
    assert Integration.objects.get(pk=third.pk).events.get().kind == Kind.REFRESHED
    assert endpoint.most_in_flight == 1


def test_a_request_that_breaks_on_the_lane_keeps_its_lease_and_the_others_run(
    overlap, endpoint, due, sent_tasks, caplog
):
    first, second, third = due
    endpoint.failures[second.refresh_token] = RuntimeError("a bug in the client")

    result = _run([first.pk, second.pk, third.pk])

    assert result["outcomes"] == {"refreshed": 2, "error": 1}
    [record] = [r for r in caplog.records if r.msg == "integrations.refresh.failed"]
    assert record.integration_id == second.pk
    # Nobody knows whether the marketplace acted: the lease stays, found expired later it is
    # recorded as an interrupted request (the keeper's usual way).
    assert Integration.objects.get(pk=second.pk).refresh_lease_id is not None
    assert [Integration.objects.get(pk=i.pk).events.get().kind for i in (first, third)] == [
        Kind.REFRESHED,
        Kind.REFRESHED,
    ]


def test_without_the_overlap_the_same_batch_ends_the_same_way(settings, endpoint, due, sent_tasks):
    settings.INTEGRATIONS_REFRESH_OVERLAP = False

    assert _run([i.pk for i in due])["outcomes"] == {"refreshed": 3}
    assert endpoint.order == [i.refresh_token for i in due]
