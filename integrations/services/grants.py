"""Putting a granted token pair on an integration, and storing a renewed one only if nothing
changed meanwhile (compare-and-swap on the refresh token that was sent)."""

from datetime import datetime
from functools import cache as memoize

from django.db import connection, transaction
from django.utils import timezone

from integrations.models import Integration, IntegrationEvent
from marketplaces import TokenGrant

# What apply_grant changes (and updated_at), nothing else: the UPDATE stays one short statement.
GRANT_FIELDS = [
    "access_token_ciphertext",
    "refresh_token_ciphertext",
    "access_token_expires_at",
    "authorization_expires_at",
    "scopes",
    "status",
    "last_renewed_at",
    "last_error",
    "last_error_at",
    "refresh_lease_id",
    "refresh_lease_expires_at",
    "refresh_sent_by",
    "rotation_unknown_since",
    "rotation_doubt_since",
    "rotation_verify_after",
    "refresh_retry_at",
    "expiry_cause",
    "updated_at",
]


def apply_grant(
    integration: Integration, grant: TokenGrant, *, verify_after: datetime | None = None
) -> None:
    """Puts a fresh token pair on the integration (not saved): Ativo, renewed now, no error, no
    lease; ``verify_after`` when the pair follows a request whose outcome was unknown."""
    integration.set_tokens(access_token=grant.access_token, refresh_token=grant.refresh_token)
    integration.access_token_expires_at = grant.expires_at
    if grant.authorization_expires_at is not None:
        integration.authorization_expires_at = grant.authorization_expires_at
    integration.scopes = " ".join(sorted(grant.scopes))
    integration.status = Integration.Status.ACTIVE
    integration.last_renewed_at = timezone.now()
    integration.last_error = ""
    integration.last_error_at = None
    integration.refresh_lease_id = None
    integration.refresh_lease_expires_at = None
    integration.refresh_sent_by = None
    integration.rotation_unknown_since = None
    integration.rotation_doubt_since = None
    integration.rotation_verify_after = verify_after
    integration.refresh_retry_at = None
    integration.expiry_cause = ""
    integration.updated_at = timezone.now()


def grant_store_if_unchanged(
    integration: Integration, *, sent_ciphertext: str, lease_id, event: IntegrationEvent
) -> bool:
    """Saves the pair already applied to ``integration`` and its event, only if the row still
    holds the refresh token that was sent and this refresh's lease. False: someone else stored
    another pair (a reauthorization) or took the row over; theirs is kept."""
    if connection.vendor == "postgresql":
        return _update_and_record(integration, sent_ciphertext, lease_id, event)
    with transaction.atomic():
        stored = Integration.objects.filter(
            pk=integration.pk, refresh_token_ciphertext=sent_ciphertext, refresh_lease_id=lease_id
        ).update(**{name: getattr(integration, name) for name in GRANT_FIELDS})
        if stored:
            event.save()
    return bool(stored)


def _update_and_record(
    integration: Integration, sent_ciphertext: str, lease_id, event: IntegrationEvent
) -> bool:
    """PostgreSQL: the compare-and-swap UPDATE and the event's INSERT as one statement.

    One round trip, and the event exists exactly when the row changed: the INSERT only reads the
    UPDATE's RETURNING.
    """
    sql, integration_fields, event_fields = _update_and_record_statement()
    params = [
        *(field.get_db_prep_save(getattr(integration, field.attname), connection)
          for field in integration_fields),
        integration.pk,
        sent_ciphertext,
        lease_id,
        *(field.get_db_prep_save(getattr(event, field.attname), connection)
          for field in event_fields),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


_UPDATE_AND_RECORD = (
    "WITH renewed AS (UPDATE {table} SET {assignments} "
    "WHERE {pk} = %s AND {sent} = %s AND {lease} = %s RETURNING 1) "
    "INSERT INTO {events} ({columns}) SELECT {values} FROM renewed RETURNING 1"
)


@memoize
def _update_and_record_statement() -> tuple[str, list, list]:
    """The SQL (names from the models' metadata) and the fields whose values it takes, in order."""
    quote = connection.ops.quote_name
    integration_fields = [Integration._meta.get_field(name) for name in GRANT_FIELDS]
    event_fields = [
        field for field in IntegrationEvent._meta.concrete_fields if not field.primary_key
    ]
    # Only quoted names from the models are put in; every value is a parameter.
    sql = _UPDATE_AND_RECORD.format(  # nosec B608
        table=quote(Integration._meta.db_table),
        assignments=", ".join(f"{quote(field.column)} = %s" for field in integration_fields),
        pk=quote(Integration._meta.pk.column),
        sent=quote(Integration._meta.get_field("refresh_token_ciphertext").column),
        lease=quote(Integration._meta.get_field("refresh_lease_id").column),
        events=quote(IntegrationEvent._meta.db_table),
        columns=", ".join(quote(field.column) for field in event_fields),
        values=", ".join(["%s"] * len(event_fields)),
    )
    return sql, integration_fields, event_fields
