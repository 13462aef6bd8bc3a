"""Keeping one accepted notification durably, once, before the marketplace is answered.

One ``INSERT … ON CONFLICT (marketplace, dedup_key) DO NOTHING``: a retry or a duplicate of a
notification already kept writes nothing, two copies arriving at once keep one row, and the
statement commits (autocommit) before the endpoint answers 2xx, so nothing acknowledged is lost.
"""

import hashlib
from datetime import UTC, datetime
from functools import cache as memoize

from django.db import connection
from django.utils import timezone

from hub.text import clean_text
from integrations.push.models import Notification
from marketplaces.base.push import NoticeKind, PushNotice, PushRejected

_COLUMNS = [
    "marketplace",
    "dedup_key",
    "via",
    "topic",
    "account_id",
    "resource_id",
    "body",
    "source",
    "sent_at",
    "received_at",
    "state",
    "attempts",
    "error",
]
# What a kind of notification is once kept: only an order's waits for a worker.
_STATE_OF = {
    NoticeKind.ORDER: Notification.State.PENDING,
    NoticeKind.IGNORED: Notification.State.IGNORED,
    NoticeKind.UNKNOWN: Notification.State.UNKNOWN_TOPIC,
}


def notification_keep(
    *, marketplace: str, notice: PushNotice, body: bytes, source: str
) -> Notification | None:
    """Stores the notice with its raw body; the row, or None when it was kept before.

    Raises ``PushRejected`` (400) when the notice names an account or an order by an id no
    marketplace gives (too long, control characters): nothing of it could ever be matched.
    """
    row = notification_row(marketplace=marketplace, notice=notice, body=body, source=source)
    fields = _fields()
    params = [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(_statement(), params)
        inserted = cursor.fetchone()
    if inserted is None:
        return None
    row.pk = inserted[0]
    return row


def notification_row(
    *,
    marketplace: str,
    notice: PushNotice,
    body: bytes,
    source: str = "",
    via: str = Notification.Via.PUSH,
) -> Notification:
    """The unsaved row that keeps ``notice`` (pushed, or read back from a marketplace's feed of
    missed notifications); raises ``PushRejected`` as ``notification_keep`` says."""
    return Notification(
        marketplace=marketplace,
        dedup_key=_dedup_key(notice.dedup_key),
        via=via,
        topic=clean_text(notice.topic, 64),
        account_id=_identifier(notice.account_id, "conta"),
        resource_id=_identifier(notice.resource_id, "pedido"),
        # The evidence as received; PostgreSQL text holds no NUL.
        body=body.decode("utf-8", errors="replace").replace("\x00", "\ufffd"),
        source=clean_text(source, 64),
        sent_at=_aware(notice.sent_at),
        received_at=timezone.now(),
        state=_STATE_OF[notice.kind],
        attempts=0,
        error="",
    )


def _dedup_key(key: str) -> str:
    """The parser's key, or its digest when it does not fit the column (same key, same digest)."""
    if not isinstance(key, str) or not key:
        raise PushRejected("Notificação sem identificação.")
    if len(key) <= 128 and clean_text(key, 128) == key:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _identifier(value: str, what: str) -> str:
    if value and (len(value) > 64 or clean_text(value, 64) != value):
        raise PushRejected(f"Identificação de {what} inválida na notificação.")
    return value


def _aware(moment: datetime | None) -> datetime | None:
    if not isinstance(moment, datetime):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@memoize
def _fields() -> list:
    return [Notification._meta.get_field(name) for name in _COLUMNS]


@memoize
def _statement() -> str:
    quote = connection.ops.quote_name
    table = quote(Notification._meta.db_table)
    columns = ", ".join(quote(field.column) for field in _fields())
    marks = ", ".join(["%s"] * len(_COLUMNS))
    key = ", ".join(
        quote(Notification._meta.get_field(name).column) for name in ("marketplace", "dedup_key")
    )
    # Only quoted names from the model are put in; every value is a parameter.
    return (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608  # nosec B608
        f"ON CONFLICT ({key}) DO NOTHING RETURNING {quote('id')}"
    )
