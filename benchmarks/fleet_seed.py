"""Seeds the push and fleet benchmarks' integrations through COPY: real encrypted tokens that the
loopback marketplaces accept (benchmarks/loopback_market.py), one seller per integration.

With ``spread``, each token expires at a moment drawn uniformly between its marketplace's refresh
window and its lifetime from now, so renewals come due at a steady rate from the first minute (as
in a fleet that has run for a while) and none is due at the start; and each order pulse's last
import is drawn uniformly over the audit interval, so the audits come due at a steady rate too.
"""

import random
import time
import uuid
from datetime import UTC, datetime, timedelta

from benchmarks.admin_seed import seller_cnpj
from benchmarks.loopback_market import LIFETIME, account_id, token

TABLES = [
    "push_notification",
    "push_pushgap",
    "orders_order",
    "orders_orderpulse",
    "integrations_integrationevent",
    "integrations_integration",
    "hub_membership",
    "hub_seller",
]
SCOPES = {
    "mercadolivre": "offline_access read",
    "magalu": "open:order-order:read open:portfolio:read",
}
COLUMNS = [
    "id", "public_id", "seller_id", "marketplace", "external_id", "account_name",
    "account_document", "account_document_number", "accepted_account_type",
    "access_token_ciphertext", "refresh_token_ciphertext", "access_token_expires_at", "scopes",
    "status", "last_renewed_at", "last_error", "expiry_cause", "created_at", "updated_at",
]  # fmt: skip


def reset() -> None:
    """Empties the tables the push benchmarks fill, and the worker's queue."""
    from django.db import connection

    from benchmarks.keeper_data import purge_queue
    from config.celery import app

    purge_queue(app)
    with connection.cursor() as cursor:
        present = [t for t in TABLES if t in connection.introspection.table_names(cursor)]
        cursor.execute(f"TRUNCATE {', '.join(present)} RESTART IDENTITY CASCADE")


def audit_spread() -> timedelta:
    """How far back the last reads are spread: an account is audited again once its last read is
    older than the audit interval less one import interval (the sweep's slack), so reads spread
    over that span come due at the steady rate."""
    from integrations.orders import conf as orders_conf
    from integrations.push import conf as push_conf

    every = timedelta(seconds=orders_conf.import_interval_seconds())
    return max(push_conf.audit_interval() - every, every)


def seed(accounts: dict[str, int], *, spread: bool, seed_value: int = 1) -> None:
    """``accounts`` {marketplace: count}: Ativo integrations of the loopback's n-th accounts."""
    from django.db import connection

    from integrations import crypto
    from integrations.due import window_of

    rng = random.Random(seed_value)
    now = time.time()
    moment = datetime.fromtimestamp(now, UTC)
    started = time.perf_counter()
    next_id = 1
    with connection.cursor() as cursor:
        with cursor.copy("COPY hub_seller (id, name, cnpj, created_at) FROM STDIN") as copy:
            for n in range(sum(accounts.values())):
                copy.write_row((n + 1, f"Loja Fleet {n}", seller_cnpj(n), moment))
        with cursor.copy(
            f"COPY integrations_integration ({', '.join(COLUMNS)}) FROM STDIN"
        ) as copy:
            for market, count in accounts.items():
                lifetime = LIFETIME[market]
                window = window_of(market).total_seconds()
                for n in range(count):
                    expires = now + (rng.uniform(window, lifetime) if spread else lifetime)
                    public_id = uuid.uuid4()
                    account = account_id(market, n)
                    access = token("fa", market, account, expires)
                    refresh = token("fr", market, account, expires)
                    context = f"integration:{public_id}:"
                    copy.write_row(
                        (
                            next_id, public_id, next_id, market, account, f"CONTA {account}",
                            "", "", "", crypto.encrypt(access, context=context + "access_token"),
                            crypto.encrypt(refresh, context=context + "refresh_token"),
                            datetime.fromtimestamp(expires, UTC), SCOPES[market], "active",
                            datetime.fromtimestamp(expires - lifetime, UTC), "", "", moment,
                            moment,
                        )
                    )  # fmt: skip
                    next_id += 1
        interval = audit_spread().total_seconds()
        # Each account's last read: spread over the audit interval, read up to then.
        cursor.execute(
            """
            INSERT INTO orders_orderpulse (
                integration_id, watermark, last_import_at, last_import_error,
                last_import_new_orders, last_import_failure, last_order_at)
            SELECT id, ts, ts, '', 0, '', now() - interval '2 days'
            FROM (SELECT id, now() - make_interval(secs => random() * %s) AS ts
                  FROM integrations_integration) AS spread
            """,
            [interval if spread else 0],
        )
        for table in ("hub_seller", "integrations_integration"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608
            )
        cursor.execute("ANALYZE")
    print(
        f"seeded {sum(accounts.values()):,} integrations in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
