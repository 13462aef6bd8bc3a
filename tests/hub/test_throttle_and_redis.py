"""The throttle's counters in Redis, and the process's one client per Redis URL and timeout."""

import pytest
from django.conf import settings as django_settings

from hub import throttle
from hub.redis_client import client_for, redis_client
from observe import redis_client as observe_redis


@pytest.fixture
def client():
    found = redis_client()
    if found is None:
        pytest.skip("the cache is not Redis")
    return found


@pytest.fixture
def key(client):
    name = throttle._key("test-ttl", "someone@example.com")
    client.delete(name)
    yield name
    client.delete(name)


@pytest.mark.redis
def test_a_counter_is_created_with_the_window_as_its_ttl(client, key):
    assert throttle.hit("test-ttl", "someone@example.com", limit=2, window_seconds=60)

    assert 0 < client.ttl(key) <= 60


@pytest.mark.redis
def test_a_counter_left_without_a_ttl_gets_one_and_never_counts_forever(client, key):
    # As if the window had expired between two commands: the counter exists, with no expiry.
    client.set(key, 5)
    assert client.ttl(key) == -1

    assert not throttle.hit("test-ttl", "someone@example.com", limit=2, window_seconds=60)

    assert 0 < client.ttl(key) <= 60
    assert int(client.get(key)) == 6


@pytest.mark.redis
def test_a_hit_keeps_the_windows_expiry(client, key):
    throttle.hit("test-ttl", "someone@example.com", limit=9, window_seconds=60)
    client.expire(key, 30)

    throttle.hit("test-ttl", "someone@example.com", limit=9, window_seconds=60)

    assert 0 < client.ttl(key) <= 30  # the window is not pushed back by each hit


@pytest.mark.redis
def test_one_client_per_url_and_timeout(client):
    url = django_settings.CACHES["default"]["LOCATION"]

    assert client is client_for(url, timeout=2.0)
    assert client_for(url, timeout=1.0) is client_for(url, timeout=1.0)
    assert client_for(url, timeout=1.0) is not client


def test_observe_asks_the_same_mechanism_with_its_short_timeout(settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"

    found = observe_redis.redis_client()

    assert found is client_for("redis://127.0.0.1:6379/15", timeout=1.0)
    assert found.connection_pool.connection_kwargs["socket_timeout"] == 1.0
    settings.REDIS_URL = ""
    assert observe_redis.redis_client() is None
