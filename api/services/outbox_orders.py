"""``order.created`` / ``order.updated``: the page's upsert and its outbox rows in one statement.

PostgreSQL runs every part of a ``WITH`` statement on one snapshot (PostgreSQL docs, "Data-Modifying
Statements in WITH"): ``prior`` reads the orders as they were before the page, ``written`` is the
import's own upsert with ``RETURNING``, and ``queued`` inserts one delivery per changed order and
subscribed endpoint. An order the page re-read without a change queues nothing. One statement per
page, atomic by itself: the outbox rows commit with the orders or not at all.
"""

from functools import cache

from django.db import connection

from api.models import WebhookDelivery, WebhookEndpoint
from api.services.outbox import deliver_after_commit

# What the upsert returns of each written order; the payload is built from it.
RETURNED = (
    "id, marketplace_order_id, code, status, status_raw, total, currency, "
    "created_at, updated_at, imported_at"
)
# What a change is: any of these differing from the stored copy.
COMPARED = ("code", "status", "status_raw", "total", "currency", "updated_at")


def _utc(column: str) -> str:
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"


@cache
def _wrapped(upsert_sql: str) -> str:
    from api.sources import Order

    order = connection.ops.quote_name(Order._meta.db_table)
    deliveries = connection.ops.quote_name(WebhookDelivery._meta.db_table)
    endpoints = connection.ops.quote_name(WebhookEndpoint._meta.db_table)
    compared_prior = ", ".join(f"p.{name}" for name in COMPARED)
    compared_written = ", ".join(f"w.{name}" for name in COMPARED)
    data = (
        "jsonb_build_object("
        "'id', c.id, 'account', %(account)s::text, 'marketplace', %(marketplace)s::text, "
        "'marketplace_order_id', c.marketplace_order_id, 'code', c.code, "
        "'status', c.status, 'status_raw', c.status_raw, "
        "'total', c.total::text, 'currency', c.currency, "
        f"'created_at', {_utc('c.created_at')}, 'updated_at', {_utc('c.updated_at')}, "
        f"'changed_at', {_utc('c.imported_at')})"
    )
    # Names and SQL from this module and the model's meta only; every value is a parameter.
    return (  # nosec B608
        f"WITH prior AS (SELECT id, {', '.join(COMPARED)} FROM {order} "  # noqa: S608
        "WHERE integration_id = %(integration)s "
        "AND marketplace_order_id = ANY(%(order_ids)s::varchar[])), "
        f"written AS ({upsert_sql} RETURNING {RETURNED}), "
        "changes AS (SELECT w.*, CASE WHEN p.id IS NULL THEN 'order.created' "
        "ELSE 'order.updated' END AS event FROM written w LEFT JOIN prior p ON p.id = w.id "
        f"WHERE p.id IS NULL OR ({compared_prior}) IS DISTINCT FROM ({compared_written})), "
        f"queued AS (INSERT INTO {deliveries} (message_id, endpoint_id, seller_id, event_type, "
        "payload, created_at, status, attempts, next_attempt_at, last_error) "
        "SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.id, e.seller_id, c.event, "
        f"jsonb_build_object('type', c.event, 'timestamp', {_utc('%(now)s::timestamptz')}, "
        f"'data', {data}), "
        "%(now)s, 'pending', 0, %(now)s, '' "
        f"FROM changes c JOIN {endpoints} e ON e.seller_id = %(seller)s AND e.enabled "
        "AND e.events @> jsonb_build_array(c.event) RETURNING endpoint_id) "
        "SELECT (SELECT count(*) FROM written), ARRAY(SELECT DISTINCT endpoint_id FROM queued)"
    )


def orders_upsert_with_outbox(*, cursor, upsert_sql: str, arrays: list, integration, now) -> int:
    """Runs the import's upsert (its ``%s`` array parameters in ``arrays``) with the outbox
    rows; returns how many orders it wrote, like the upsert's own row count."""
    params = {f"a{index}": array for index, array in enumerate(arrays)}
    numbered = upsert_sql.replace("%s", "{}").format(*(f"%(a{i})s" for i in range(len(arrays))))
    params.update(
        integration=integration.pk,
        seller=integration.seller_id,
        account=str(integration.public_id),
        marketplace=integration.marketplace,
        order_ids=arrays[3],
        now=now,
    )
    cursor.execute(_wrapped(numbered), params)
    written, endpoint_ids = cursor.fetchone()
    deliver_after_commit(endpoint_ids)
    return written
