"""Storing a page of orders in one statement, idempotently.

``INSERT … ON CONFLICT (integration, marketplace order id) DO UPDATE … WHERE the stored copy is
not newer``: the same page read twice, or by two concurrent imports, never duplicates an order,
an older copy never overwrites a newer one, and a copy that changes nothing writes nothing. How
the hub first learnt of an order (``arrived_via``, ``arrived_at``) is written by the insert only.
PostgreSQL and SQLite (3.39+, for IS DISTINCT FROM) both speak it.
"""

from dataclasses import fields
from functools import cache as memoize

from django.db import connection
from django.utils import timezone

from integrations.models import Integration
from integrations.orders.models import Order
from marketplaces import OrderRecord

# What the marketplace says of the order: the record's own fields, in its order.
_RECORD_FIELDS = [field.name for field in fields(OrderRecord)]
_COLUMNS = [
    "integration",
    "seller",
    "marketplace",
    *_RECORD_FIELDS,
    "imported_at",
    "arrived_via",
    "arrived_at",
]
# The owner and the key never change; how the hub first learnt of an order is written once.
_WRITTEN_ONCE = ("integration", "seller", "marketplace", "marketplace_order_id", "arrived_via",
                 "arrived_at")  # fmt: skip
_UPDATED_ON_CONFLICT = [name for name in _COLUMNS if name not in _WRITTEN_ONCE]


def orders_upsert(
    *,
    integration: Integration,
    records: list[OrderRecord],
    arrived_via: str = Order.Arrival.IMPORT,
) -> int:
    """Inserts or refreshes the page's orders; returns how many rows it wrote. ``arrived_via``
    (how the hub learnt of them) is kept on the orders this inserts, never changed afterwards."""
    if not records:
        return 0
    # One page can name an order twice (it changed while being read): the newest copy wins.
    newest: dict[str, OrderRecord] = {}
    for record in records:
        kept = newest.get(record.marketplace_order_id)
        if kept is None or record.updated_at >= kept.updated_at:
            newest[record.marketplace_order_id] = record
    now, arrived_via = timezone.now(), str(arrived_via)
    owner = (integration.pk, integration.seller_id, integration.marketplace)
    rows = [
        (*owner, *(getattr(record, name) for name in _RECORD_FIELDS), now, arrived_via, now)
        for record in newest.values()
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column: a short statement psycopg binds in microseconds, however
            # many rows (rather than a VALUES list it must parse per page).
            arrays = [list(column) for column in zip(*rows, strict=True)]
            if _page_statement_wrapper is not None:
                # Another app writes alongside the page in the same statement (the API's
                # webhook outbox): it runs the upsert and returns its row count.
                return _page_statement_wrapper(
                    cursor=cursor,
                    upsert_sql=_unnest_statement(),
                    arrays=arrays,
                    integration=integration,
                    now=now,
                )
            cursor.execute(_unnest_statement(), arrays)
        else:
            fields = _fields()
            params = [
                field.get_db_prep_save(value, connection)
                for row in rows
                for field, value in zip(fields, row, strict=True)
            ]
            cursor.execute(_statement(len(rows)), params)
        return cursor.rowcount


# A function that runs the PostgreSQL page statement in a larger one of its own (see
# register_page_statement_wrapper), or None.
_page_statement_wrapper = None


def register_page_statement_wrapper(wrapper) -> None:
    """Lets an app that must write in the page's own statement (the API's outbox) run it; called
    from that app's ``ready()``, so this app never imports it."""
    global _page_statement_wrapper
    _page_statement_wrapper = wrapper


@memoize
def _fields() -> list:
    return [Order._meta.get_field(name) for name in _COLUMNS]


_UPSERT = (
    "INSERT INTO {table} ({columns}) {rows} "
    "ON CONFLICT ({key}) DO UPDATE SET {assignments} "
    "WHERE {table}.{updated} <= excluded.{updated} "
    "AND ({stored}) IS DISTINCT FROM ({incoming})"
)
# What the marketplace says of an order: a re-read that changes none of it writes nothing (the
# row, its "changed at" for the API's feed and its webhooks stay as they were).
_COMPARED = [name for name in _RECORD_FIELDS if name != "marketplace_order_id"]


@memoize
def _statement(rows: int) -> str:
    row = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    return _upsert("VALUES " + ", ".join([row] * rows))


@memoize
def _unnest_statement() -> str:
    """PostgreSQL: ``SELECT * FROM unnest(%s::bigint[], %s::varchar(32)[], …)``."""
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in _fields())
    return _upsert(f"SELECT * FROM unnest({arrays})")  # noqa: S608  # nosec B608 (model types)


def _upsert(rows: str) -> str:
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(Order._meta.get_field(name).column)

    # Only quoted names and types from the model are put in; every value is a parameter.
    return _UPSERT.format(  # nosec B608
        table=quote(Order._meta.db_table),
        columns=", ".join(column(name) for name in _COLUMNS),
        rows=rows,
        key=", ".join(column(name) for name in ("integration", "marketplace_order_id")),
        assignments=", ".join(
            f"{column(name)} = excluded.{column(name)}" for name in _UPDATED_ON_CONFLICT
        ),
        updated=column("updated_at"),
        stored=", ".join(f"{quote(Order._meta.db_table)}.{column(name)}" for name in _COMPARED),
        incoming=", ".join(f"excluded.{column(name)}" for name in _COMPARED),
    )
