"""/readyz names what failed: PostgreSQL, Redis, beat's clock (its heartbeat), a worker."""

import time
from unittest import mock

import pytest
from celery.signals import before_task_publish

from integrations import conf
from observe import heartbeat
from observe.redis_client import redis_client

pytestmark = pytest.mark.django_db
ONE_WORKER = [{"celery@test": {"ok": "pong"}}]


@pytest.fixture
def _no_heartbeat():
    client = redis_client()
    saved = client.get(heartbeat.BEAT_KEY)
    client.delete(heartbeat.BEAT_KEY)
    yield
    client.delete(heartbeat.BEAT_KEY)
    if saved is not None:
        client.set(heartbeat.BEAT_KEY, saved)


def _readyz(client):
    response = client.get("/readyz")
    return response.status_code, response.json()


def test_liveness_stays_cheap(client):
    assert client.get("/healthz").content == b"ok"


def test_without_redis_only_the_database_is_checked(client, settings):
    settings.REDIS_URL = ""
    status, body = _readyz(client)
    assert status == 200
    assert body["checks"] == {
        "database": "ok",
        "redis": "skipped",
        "beat": "skipped",
        "worker": "skipped",
    }


def test_redis_down_fails_readiness_and_names_it(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:8699/0"  # nothing listens there
    status, body = _readyz(client)
    assert status == 503
    assert body["status"] == "fail"
    assert body["failed"] == ["beat", "redis", "worker"]
    assert body["checks"]["redis"].startswith("unreachable")
    assert body["checks"]["database"] == "ok"


@pytest.mark.redis
@pytest.mark.usefixtures("_no_heartbeat")
def test_ready_when_beat_ticked_recently_and_a_worker_answers(client):
    before_task_publish.send(sender="integrations.refresh_sweep", body=(), headers={})
    with mock.patch("config.celery.app.control.ping", return_value=ONE_WORKER) as ping:
        status, body = _readyz(client)
    assert (status, body["failed"]) == (200, []), body
    assert ping.call_args.kwargs["timeout"] <= 1.0


@pytest.mark.redis
@pytest.mark.usefixtures("_no_heartbeat")
def test_beat_silent_for_two_intervals_fails_readiness(client):
    interval = conf.sweep_interval_seconds()
    heartbeat.beat_heartbeat_record(at=time.time() - 2 * interval - 5)
    with mock.patch("config.celery.app.control.ping", return_value=ONE_WORKER):
        status, body = _readyz(client)
    assert status == 503
    assert body["failed"] == ["beat"]
    assert body["checks"]["beat"].startswith("stale: last sweep published")

    heartbeat.beat_heartbeat_record(at=time.time() - 2 * interval + 5)
    with mock.patch("config.celery.app.control.ping", return_value=ONE_WORKER):
        assert _readyz(client)[0] == 200


@pytest.mark.redis
@pytest.mark.usefixtures("_no_heartbeat")
def test_beat_that_never_ticked_and_no_worker_fail_readiness(client, settings):
    settings.READINESS_WORKER_PING_TIMEOUT = 0.2
    status, body = _readyz(client)  # a real broadcast ping: no worker listens on this database
    assert status == 503
    assert body["failed"] == ["beat", "worker"]
    assert body["checks"]["worker"] == "no worker answered a ping"
    assert body["checks"]["beat"].startswith("no heartbeat")


@pytest.mark.redis
@pytest.mark.usefixtures("_no_heartbeat")
def test_only_the_sweep_leaves_beats_heartbeat():
    before_task_publish.send(sender="orders.import_sweep", body=(), headers={})
    assert heartbeat.beat_heartbeat_age() is None
    before_task_publish.send(sender="integrations.refresh_sweep", body=(), headers={})
    assert heartbeat.beat_heartbeat_age() < 5
