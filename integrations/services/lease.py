"""The refresh lease: one token request in flight per integration, and its durable evidence.

Taken with one conditional UPDATE and committed before the request leaves, so two workers never
send the same refresh token, no row lock is held across the network, and a holder that dies
mid-request leaves the lease behind: found expired later, it means the request's outcome is
unknown (the marketplace may have rotated the token), whatever happened to Redis meanwhile. The
lease also records the latest moment its request leaves (``refresh_sent_by``: when it is taken,
or after the wait for the request before it in a batch), so that the late-arrival window of a
holder that died counts from when its request left, not from when the lease is found.
In the plain case (due, Ativo, nothing pending) that UPDATE also reads the row (``RETURNING``):
one statement and one commit before the request, the least a durable lease can cost.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache as memoize

from django.db import connection, transaction
from django.utils import timezone

from integrations import conf
from integrations.due import due_cutoff
from integrations.models import Integration, IntegrationEvent
from integrations.services import reasons
from integrations.services.events import event_record
from marketplaces import (
    PROVIDERS,
    OAuth2Provider,
    ProviderMisconfigured,
    UnknownOutcomeRetry,
    get_provider,
)

logger = logging.getLogger(__name__)


def lease_ttl(provider: OAuth2Provider) -> timedelta:
    """Long enough for the requests the refresh may send (one retry at once when the provider
    has a reuse grace period), plus a margin."""
    requests = 2 if provider.unknown_outcome_retry is UnknownOutcomeRetry.AT_ONCE else 1
    seconds = requests * (provider.config.connect_timeout + provider.config.read_timeout)
    return timedelta(seconds=seconds + conf.refresh_lease_margin_seconds())


@dataclass(frozen=True)
class RefreshLease:
    integration_id: int
    taken_at: datetime
    expires_at: datetime
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    @classmethod
    def take(
        cls,
        integration: Integration,
        *,
        ttl: timedelta,
        queued_behind: timedelta = timedelta(0),
    ) -> "RefreshLease | None":
        """The lease, if the row is still Ativo, holds the token we read and nobody holds one.

        It lasts ``ttl`` after its request leaves, which is at once or after ``queued_behind``.
        """
        now = timezone.now()
        sent_by = now + queued_behind
        lease = cls(integration.pk, now, sent_by + ttl)
        taken = Integration.objects.filter(
            pk=integration.pk,
            status=Integration.Status.ACTIVE,
            refresh_token_ciphertext=integration.refresh_token_ciphertext,
            refresh_lease_id__isnull=True,
        ).update(
            refresh_lease_id=lease.id,
            refresh_lease_expires_at=lease.expires_at,
            refresh_sent_by=sent_by,
        )
        return lease if taken else None

    @classmethod
    def take_if_due(
        cls,
        integration_id: int,
        *,
        force: bool,
        now: datetime,
        queued_behind: timedelta = timedelta(0),
    ) -> "tuple[Integration, RefreshLease, OAuth2Provider] | None":
        """The plain case in one statement: reads the row and takes its lease if it is Ativo, due
        (or ``force``), holds a refresh token, nobody holds a lease and no earlier request's
        outcome is pending. None otherwise (or off PostgreSQL): the caller reads the row and
        decides case by case. The row comes back as it is with the lease on it, which lasts its
        marketplace's time plus ``queued_behind`` (the wait for a request sent before it).
        """
        if connection.vendor != "postgresql":
            return None
        providers = {}
        for marketplace in PROVIDERS:
            try:
                providers[marketplace] = get_provider(marketplace)
            except ProviderMisconfigured:
                continue  # the careful path records it
        if not providers:
            return None
        lease_id = uuid.uuid4()
        sent_by = now + queued_behind
        params = [lease_id, sent_by]
        for marketplace, provider in providers.items():
            params += [marketplace, sent_by + lease_ttl(provider)]
        params += [integration_id, list(providers), Integration.Status.ACTIVE, now, force]
        for marketplace in providers:
            params += [marketplace, due_cutoff(marketplace, now=now)]
        with connection.cursor() as cursor:
            cursor.execute(_take_if_due_sql(len(providers)), params)
            row = cursor.fetchone()
        if row is None:
            return None
        integration = _integration_from_row(row)
        lease = cls(integration.pk, now, integration.refresh_lease_expires_at, lease_id)
        return integration, lease, providers[integration.marketplace]

    def release(self, **changes) -> bool:
        """Gives the lease back, with ``changes``, if it is still ours."""
        return bool(
            Integration.objects.filter(pk=self.integration_id, refresh_lease_id=self.id).update(
                refresh_lease_id=None,
                refresh_lease_expires_at=None,
                refresh_sent_by=None,
                **changes,
            )
        )


_TAKE_IF_DUE = (
    "UPDATE {table} SET {lease} = %s, {sent_by} = %s, "
    "{lease_expires} = CASE {marketplace} {ttl_cases} END "
    "WHERE {pk} = %s AND {marketplace} = ANY(%s) AND {status} = %s AND {lease} IS NULL "
    "AND {unknown_since} IS NULL "
    "AND {refresh_token} <> '' AND ({renewed} IS NULL OR {renewed} < %s) "
    "AND (%s OR {expires} <= CASE {marketplace} {window_cases} END) "
    "RETURNING {columns}"
)


@memoize
def _take_if_due_sql(marketplaces: int) -> str:
    """The SQL for ``take_if_due`` over this many marketplaces (the row comes back whole)."""
    quote = connection.ops.quote_name
    meta = Integration._meta

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    cases = " ".join(["WHEN %s THEN %s"] * marketplaces)
    # Only quoted names from the model are put in; every value is a parameter.
    return _TAKE_IF_DUE.format(  # nosec B608
        table=quote(meta.db_table),
        lease=column("refresh_lease_id"),
        lease_expires=column("refresh_lease_expires_at"),
        sent_by=column("refresh_sent_by"),
        marketplace=column("marketplace"),
        ttl_cases=cases,
        pk=quote(meta.pk.column),
        status=column("status"),
        unknown_since=column("rotation_unknown_since"),
        refresh_token=column("refresh_token_ciphertext"),
        renewed=column("last_renewed_at"),
        expires=column("access_token_expires_at"),
        window_cases=cases,
        columns=", ".join(quote(model_field.column) for model_field in meta.concrete_fields),
    )


def _integration_from_row(row: tuple) -> Integration:
    """The instance from a row of every concrete column, as a queryset would build it (a raw
    queryset matches the columns to the fields anew for every statement)."""
    names, converters = _returned_fields()
    values = list(row)
    for index, column, field_converters in converters:
        for convert in field_converters:
            values[index] = convert(values[index], column, connection)
    return Integration.from_db(connection.alias, names, values)


@memoize
def _returned_fields() -> tuple[list[str], list]:
    """The attribute names of ``RETURNING``'s columns, and the converters the backend and the
    fields want applied (none on PostgreSQL today)."""
    meta = Integration._meta
    converters = []
    for index, model_field in enumerate(meta.concrete_fields):
        column = model_field.get_col(meta.db_table)
        wanted = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if wanted:
            converters.append((index, column, wanted))
    return [model_field.attname for model_field in meta.concrete_fields], converters


def lease_record_interrupted(integration: Integration) -> None:
    """A lease found expired: its holder stopped with the token request's outcome unknown.

    Records that durably (``rotation_unknown_since``, dated from when the request left at the
    latest: the late-arrival window counts from there, not from now) and frees the row; the
    instance is updated.
    """
    stale_lease = integration.refresh_lease_id
    # A lease taken before refresh_sent_by existed: its end is the latest the request left.
    left_by = integration.refresh_sent_by or integration.refresh_lease_expires_at
    since = integration.rotation_unknown_since or left_by
    now = timezone.now()
    with transaction.atomic():
        cleared = Integration.objects.filter(
            pk=integration.pk, refresh_lease_id=stale_lease
        ).update(
            refresh_lease_id=None,
            refresh_lease_expires_at=None,
            refresh_sent_by=None,
            rotation_unknown_since=since,
            last_error_at=now,
        )
        if cleared:
            event_record(
                integration=integration,
                kind=IntegrationEvent.Kind.REFRESH_FAILED,
                details=reasons.interrupted(
                    integration.provider.of_name
                    if integration.provider
                    else f"do {integration.marketplace}"
                ),
            )
    if cleared:
        logger.warning(
            "integrations.refresh.interrupted_found", extra={"integration_id": integration.pk}
        )
    integration.refresh_lease_id = integration.refresh_lease_expires_at = None
    integration.refresh_sent_by = None
    integration.rotation_unknown_since = since
