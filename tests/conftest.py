"""Shared fixtures, and the markers that need real services.

Tests marked ``postgres``, ``redis`` or ``browser`` are skipped, with the reason, when the service is
missing; with ``HUB_REQUIRE_SERVICES=1`` (CI) a missing service fails them instead.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

from tests.factories import IntegrationFactory, SellerFactory, UserFactory  # noqa: F401
from tests.sandbox_http import sandbox_http  # noqa: F401  (fixture)

REQUIRE_SERVICES = os.environ.get("HUB_REQUIRE_SERVICES") == "1"


def _redis_reachable() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _missing_service(marker: str) -> str | None:
    from django.db import connection

    if marker == "postgres" and connection.vendor != "postgresql":
        return "needs PostgreSQL (set DATABASE_URL or run PostgreSQL on 127.0.0.1:5432)"
    if marker == "redis" and not _redis_reachable():
        return "needs Redis (set REDIS_URL or run Redis on 127.0.0.1:6379)"
    if (
        marker == "browser"
        and not shutil.which("chromium")
        and not os.path.exists("/usr/bin/chromium")
    ):
        return "needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    return None


_reasons: dict[str, str | None] = {}


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        if marker not in _reasons:
            _reasons[marker] = _missing_service(marker)
        reason = _reasons[marker]
        if reason and REQUIRE_SERVICES:
            pytest.fail(f"HUB_REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        if reason:
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _push_judged_afresh():
    """Each test judges push's health from its own rows, not from a minute-old answer another
    test's rows gave (``relied_on_marketplaces`` keeps one per process)."""
    from integrations.push.health import forget_relied_on

    forget_relied_on()
    yield
    forget_relied_on()


@pytest.fixture
def seller(db):
    return SellerFactory()


@pytest.fixture
def seller_user(seller):
    return UserFactory(membership__seller=seller)


@pytest.fixture
def seller_client(client, seller_user):
    client.force_login(seller_user)
    return client


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup, django_db_blocker):
    """At the end, end connections other threads or processes (live server, worker) left open
    on the PostgreSQL test database, so it can be dropped instead of piling up."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
        return  # no collected test needed the database: none was created
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
