"""A database of the hub as it was before the house was restructured (hub 0004, integrations
0008, orders 0001, sandbox 0004), with rows in it, migrates forward to today's with nothing
lost: the packages moved, the app labels and their tables did not.

Run as separate processes against a fresh PostgreSQL database, as an operator would.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[1]
BEFORE = [
    ("hub", "0004_seller_name_idx"),
    ("integrations", "0008_integration_last_error_idx"),
    ("orders", "0001_initial"),
    ("sandbox", "0004_order_feeds"),
]


@pytest.fixture
def fresh_database():
    base = os.environ["DATABASE_URL"]
    name = f"hub_snapshot_{os.getpid()}"
    admin_url = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield base.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(url: str, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", *args, "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def _old_rows(cursor) -> dict:
    cursor.execute(
        "INSERT INTO hub_seller (name, cnpj, created_at) "
        "VALUES ('Loja Antiga', '11222333000181', now()) RETURNING id"
    )
    seller = cursor.fetchone()[0]
    ids = {}
    for external, status, cause in (
        ("t-active", "active", ""),
        ("t-expired", "expired", "revoked"),
        ("t-disconnected", "expired", "disconnected"),
    ):
        cursor.execute(
            "INSERT INTO integrations_integration (public_id, seller_id, marketplace, "
            "external_id, account_name, account_document, accepted_account_type, "
            "access_token_ciphertext, refresh_token_ciphertext, scopes, status, last_error, "
            "expiry_cause, created_at, updated_at) VALUES (%s, %s, 'magalu', %s, %s, '', '', "
            "'cipher-a', 'cipher-r', '', %s, '', %s, now(), now()) RETURNING id",
            [str(uuid.uuid4()), seller, external, f"Conta {external}", status, cause],
        )
        ids[external] = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO integrations_integrationevent (integration_id, kind, created_at, details) "
            "VALUES (%s, 'connected', now(), 'antes')",
            [ids[external]],
        )
    cursor.execute(
        "INSERT INTO orders_order (integration_id, seller_id, marketplace, marketplace_order_id, "
        "code, status, status_raw, total, currency, created_at, updated_at, imported_at) "
        "VALUES (%s, %s, 'magalu', 'o-1', 'LU-1', 'paid', 'approved', 10.5, 'BRL', now(), now(), "
        "now())",
        [ids["t-active"], seller],
    )
    cursor.execute(
        "INSERT INTO orders_orderpulse (integration_id, last_import_error) VALUES (%s, 'HTTP 500')",
        [ids["t-active"]],
    )
    return ids


def test_todays_database_migrates_forward_with_nothing_lost(fresh_database):
    for app, migration in BEFORE:
        _manage(fresh_database, "migrate", app, migration)
    with psycopg.connect(fresh_database, autocommit=True) as connection:
        ids = _old_rows(connection.cursor())

    _manage(fresh_database, "migrate")

    with psycopg.connect(fresh_database) as connection:
        cursor = connection.cursor()
        cursor.execute(
            "SELECT external_id, status, expiry_cause, access_token_ciphertext "
            "FROM integrations_integration ORDER BY id"
        )
        assert cursor.fetchall() == [
            ("t-active", "active", "", "cipher-a"),
            ("t-expired", "expired", "revoked", "cipher-a"),
            ("t-disconnected", "disconnected", "", "cipher-a"),
        ]
        # Its expiry was never known: due at once, as the keeper's old rule had it.
        cursor.execute(
            "SELECT access_token_expires_at <= now() FROM integrations_integration "
            "WHERE external_id = 't-active'"
        )
        assert cursor.fetchone() == (True,)
        cursor.execute("SELECT count(*) FROM integrations_integrationevent")
        assert cursor.fetchone() == (3,)
        cursor.execute("SELECT integration_id, code, total FROM orders_order")
        assert cursor.fetchall() == [(ids["t-active"], "LU-1", 10.5)]
        cursor.execute(
            "SELECT last_import_error, import_failing_since, last_import_new_orders "
            "FROM orders_orderpulse"
        )
        assert cursor.fetchall() == [("HTTP 500", None, 0)]
