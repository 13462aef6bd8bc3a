"""The token keeper: one refresh of one integration, and the sweep that finds them.

RFC 6749 §6 (refreshing an access token) with Magalu's rule that every refresh returns a new
refresh token and the old one dies (shared/MAGALU.md, "keep the newest refresh token"). A refresh
token sent twice kills the integration for good, so every refresh of a row runs under that row's
lock (``SELECT … FOR UPDATE``) and re-checks, after taking it, that the work is still needed.
"""

import logging
import random
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache as memoize
from functools import partial

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from integrations import conf
from integrations.crypto import UndecryptableToken
from integrations.models import Integration, IntegrationEvent
from integrations.providers import UnknownMarketplace, get_provider
from integrations.providers.base import (
    GrantRevoked,
    ProviderError,
    ProviderMisconfigured,
    TemporarilyUnavailable,
)
from integrations.services.authorization import apply_grant
from integrations.services.events import event_record
from integrations.services.keeper_store import KEY_PREFIX, InflightMarker, store
from integrations.services.lifecycle import integration_mark_expired

logger = logging.getLogger(__name__)

Kind = IntegrationEvent.Kind
_REACTIVATE = "Reative a integração para voltar a receber pedidos."

# What apply_grant changes (and updated_at), nothing else: the UPDATE stays one short statement.
GRANT_FIELDS = [
    "access_token_ciphertext",
    "refresh_token_ciphertext",
    "access_token_expires_at",
    "scopes",
    "status",
    "last_renewed_at",
    "last_error",
    "last_error_at",
    "updated_at",
]
_ERROR_FIELDS = ["last_error", "last_error_at", "updated_at"]


class RefreshOutcome(StrEnum):
    REFRESHED = "refreshed"
    NOT_DUE = "not_due"
    ALREADY_REFRESHED = "already_refreshed"  # another worker renewed it while we waited
    NOT_ACTIVE = "not_active"
    EXPIRED = "expired"  # the grant is dead: Token Expirado
    LOST = "lost"  # an earlier refresh's new tokens never reached the database: Token Expirado
    UNREADABLE = "unreadable"  # the stored token does not decrypt: Token Expirado
    SUPERSEDED = "superseded"  # invalid_grant for a token someone else had already replaced
    MISCONFIGURED = "misconfigured"  # our configuration (invalid_client ...): nothing changed


TOKEN_EXPIRADO = frozenset({RefreshOutcome.EXPIRED, RefreshOutcome.LOST, RefreshOutcome.UNREADABLE})


@dataclass(frozen=True)
class RefreshResult:
    """How one refresh ended. Transient failures are not results: they raise, for the retry."""

    integration_id: int
    outcome: RefreshOutcome
    integration: Integration | None = field(default=None, repr=False, compare=False)

    @property
    def refreshed(self) -> bool:
        return self.outcome == RefreshOutcome.REFRESHED


# --- One refresh ---------------------------------------------------------------------------------


def integration_refresh(*, integration_id: int, force: bool = False) -> RefreshResult:
    """Renews the integration's token pair if it is Ativo and due (or ``force``).

    Raises ``TemporarilyUnavailable`` after recording it (the caller retries later) and
    ``Integration.DoesNotExist``; every other ending is a ``RefreshResult``.
    """
    started_at = timezone.now()
    transient: TemporarilyUnavailable | None = None
    # PostgreSQL: the row stays locked from the read to the commit, token request included.
    # SQLite (development) has no row locks, and a transaction held open across the request
    # could not write once the stand-in (same database file) had written: there the read is
    # outside any transaction and the write is a compare-and-swap on the token sent.
    locking = connection.features.has_select_for_update
    with transaction.atomic() if locking else nullcontext():
        # Waits while another refresh of this row holds it (at most the provider's timeouts),
        # then re-checks: a second worker finds the fresh token and does nothing.
        rows = Integration.objects.select_for_update() if locking else Integration.objects
        integration = rows.get(pk=integration_id)
        skip = _skip_reason(integration, force=force, started_at=started_at)
        if skip is not None:
            return RefreshResult(integration.pk, skip, integration)
        try:
            refresh_token = integration.refresh_token
        except UndecryptableToken:
            return _unreadable(integration)
        if not refresh_token:
            return _expire(integration, RefreshOutcome.EXPIRED, Kind.EXPIRED, _no_refresh_token())
        try:
            provider = get_provider(integration.marketplace)
        except (UnknownMarketplace, ProviderMisconfigured) as exc:
            return _misconfigured(integration, exc)

        sent_ciphertext = integration.refresh_token_ciphertext
        marker = InflightMarker(integration_id=integration.pk, ciphertext=sent_ciphertext)
        interrupted = marker.arm()
        try:
            grant = provider.refresh(refresh_token=refresh_token)
        except GrantRevoked as exc:
            return _grant_revoked(integration, exc, sent_ciphertext, interrupted, marker)
        except TemporarilyUnavailable as exc:
            transient = exc
            _record_transient(integration, exc, marker)
        except ProviderMisconfigured as exc:
            marker.clear()
            return _misconfigured(integration, exc)
        else:
            # Issue 4 §8: between receiving the pair and COMMIT only two encryptions and two
            # statements; the in-flight marker goes once the pair is safely stored.
            with transaction.atomic(savepoint=False):
                if not _store_grant(integration, grant, sent_ciphertext):
                    marker.clear()
                    return RefreshResult(integration.pk, RefreshOutcome.SUPERSEDED)
                transaction.on_commit(marker.clear)
    if transient is not None:
        raise transient
    logger.info("integrations.refresh.refreshed", extra={"integration_id": integration_id})
    return RefreshResult(integration.pk, RefreshOutcome.REFRESHED, integration)


def _store_grant(integration: Integration, grant, sent_ciphertext: str) -> bool:
    """The new pair and its event, only if the row still holds the refresh token we sent."""
    apply_grant(integration, grant)
    integration.updated_at = timezone.now()
    event = IntegrationEvent(
        integration=integration, kind=Kind.REFRESHED, details=_valid_until(grant)
    )
    if connection.vendor == "postgresql":
        stored = _update_and_record(integration, sent_ciphertext, event)
    else:
        stored = Integration.objects.filter(
            pk=integration.pk, refresh_token_ciphertext=sent_ciphertext
        ).update(**{name: getattr(integration, name) for name in GRANT_FIELDS})
        if stored:
            event.save()
    if not stored:
        # Someone stored another pair meanwhile (a reauthorization); theirs is kept.
        logger.warning("integrations.refresh.superseded", extra={"integration_id": integration.pk})
    return bool(stored)


def _update_and_record(
    integration: Integration, sent_ciphertext: str, event: IntegrationEvent
) -> bool:
    """PostgreSQL: the compare-and-swap UPDATE and the event's INSERT as one statement.

    One round trip fewer while the row is locked, and the event exists exactly when the row
    changed: the INSERT only reads the UPDATE's RETURNING.
    """
    sql, integration_fields, event_fields = _update_and_record_statement()
    params = [
        *(field.get_db_prep_save(getattr(integration, field.attname), connection)
          for field in integration_fields),
        integration.pk,
        sent_ciphertext,
        *(field.get_db_prep_save(getattr(event, field.attname), connection)
          for field in event_fields),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


_UPDATE_AND_RECORD = (
    "WITH renewed AS (UPDATE {table} SET {assignments} WHERE {pk} = %s AND {sent} = %s "
    "RETURNING 1) INSERT INTO {events} ({columns}) SELECT {values} FROM renewed RETURNING 1"
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
        events=quote(IntegrationEvent._meta.db_table),
        columns=", ".join(quote(field.column) for field in event_fields),
        values=", ".join(["%s"] * len(event_fields)),
    )
    return sql, integration_fields, event_fields


def _skip_reason(
    integration: Integration, *, force: bool, started_at: datetime
) -> RefreshOutcome | None:
    if not integration.is_active:
        return RefreshOutcome.NOT_ACTIVE
    if integration.last_renewed_at and integration.last_renewed_at >= started_at:
        # Renewed by the holder of the lock we waited for: even a forced refresh is done.
        return RefreshOutcome.ALREADY_REFRESHED
    if not force and not is_due(integration, now=timezone.now()):
        return RefreshOutcome.NOT_DUE
    return None


def is_due(integration: Integration, *, now: datetime) -> bool:
    """Whether the access token expires within the refresh window (or its expiry is unknown)."""
    expires_at = integration.access_token_expires_at
    return expires_at is None or expires_at <= now + conf.refresh_window()


def _grant_revoked(
    integration: Integration,
    exc: GrantRevoked,
    sent_ciphertext: str,
    interrupted: bool,
    marker: InflightMarker,
) -> RefreshResult:
    """invalid_grant (RFC 6749 §5.2): a dead grant, unless the token we sent was already stale."""
    transaction.on_commit(marker.clear)
    # Re-read before blaming the grant: if the stored refresh token changed meanwhile (a
    # reauthorization, or a writer that did not take the lock), the token we sent was the old one.
    stored = Integration.objects.filter(pk=integration.pk).values_list(
        "refresh_token_ciphertext", "status"
    )
    if stored.first() != (sent_ciphertext, Integration.Status.ACTIVE):
        logger.warning("integrations.refresh.superseded", extra={"integration_id": integration.pk})
        return RefreshResult(integration.pk, RefreshOutcome.SUPERSEDED)
    name = integration.marketplace_name
    if interrupted:
        # An earlier run sent this very token and never stored an answer: the worker died, or
        # the answer was lost, after the provider had already rotated the pair.
        reason = (
            f"Uma renovação anterior do token foi interrompida depois que {name} já tinha "
            f"emitido novos tokens, e o token guardado deixou de valer. {_REACTIVATE}"
        )
        logger.error("integrations.refresh.lost", extra={"integration_id": integration.pk})
        return _expire(integration, RefreshOutcome.LOST, Kind.REFRESH_LOST, reason)
    code = exc.error_code or (f"HTTP {exc.status}" if exc.status else "recusa")
    reason = (
        f"{name} recusou a renovação do token ({code}): a autorização foi revogada ou expirou. "
        f"{_REACTIVATE}"
    )
    logger.warning(
        "integrations.refresh.reauthorization_required",
        extra={"integration_id": integration.pk, "error_code": exc.error_code},
    )
    return _expire(integration, RefreshOutcome.EXPIRED, Kind.EXPIRED, reason)


def _unreadable(integration: Integration) -> RefreshResult:
    # An operator problem first (a key dropped from TOKEN_ENCRYPTION_KEYS?), but only a new
    # authorization gives this integration a token again.
    logger.error("integrations.refresh.token_unreadable", extra={"integration_id": integration.pk})
    reason = (
        "Não foi possível ler o token guardado desta integração (chave de criptografia trocada ou "
        f"dado corrompido). {_REACTIVATE}"
    )
    return _expire(integration, RefreshOutcome.UNREADABLE, Kind.TOKEN_UNREADABLE, reason)


def _no_refresh_token() -> str:
    return f"Não há token de renovação guardado para esta integração. {_REACTIVATE}"


def _expire(
    integration: Integration, outcome: RefreshOutcome, kind: str, reason: str
) -> RefreshResult:
    """Token Expirado through the one service that does it (event, e-mail after commit)."""
    expired = integration_mark_expired(integration_id=integration.pk, reason=reason, kind=kind)
    return RefreshResult(integration.pk, outcome, expired)


def _record_transient(
    integration: Integration, exc: TemporarilyUnavailable, marker: InflightMarker
) -> None:
    """Timeouts, connection errors, 5xx, 429: recorded for support, never Token Expirado."""
    if not exc.timed_out_after_send:
        # A definite answer (or no connection at all): the token was not rotated. After a read
        # timeout it may have been, so the marker stays to recognise a lost refresh next time.
        marker.clear()
    detail = f"HTTP {exc.status}" if exc.status else "sem resposta a tempo"
    integration.last_error = (
        f"Não foi possível renovar o token agora: {integration.marketplace_name} não respondeu "
        f"({detail}). O hub tentará de novo automaticamente; a integração continua ativa."
    )
    integration.last_error_at = timezone.now()
    with transaction.atomic(savepoint=False):
        integration.save(update_fields=_ERROR_FIELDS)
        event_record(integration=integration, kind=Kind.REFRESH_FAILED, details=str(exc))
    logger.warning(
        "integrations.refresh.temporarily_unavailable",
        extra={
            "integration_id": integration.pk,
            "status": exc.status,
            "retry_after": exc.retry_after,
            "timed_out_after_send": exc.timed_out_after_send,
        },
    )


def _misconfigured(integration: Integration, exc: Exception) -> RefreshResult:
    """invalid_client and friends: the hub's fault, never the seller's; operators must act."""
    logger.error(
        "integrations.refresh.misconfigured",
        extra={
            "integration_id": integration.pk,
            "marketplace": integration.marketplace,
            "error_code": getattr(exc, "error_code", None),
            "status": getattr(exc, "status", None),
        },
    )
    integration.last_error = (
        "Não foi possível renovar o token por um erro de configuração do hub (não é um problema "
        "da sua conta). Nossa equipe foi avisada."
    )
    integration.last_error_at = timezone.now()
    details = (
        str(exc)
        if isinstance(exc, ProviderError)
        else f"marketplace não registrado: {integration.marketplace}"
    )
    with transaction.atomic(savepoint=False):
        integration.save(update_fields=_ERROR_FIELDS)
        event_record(integration=integration, kind=Kind.REFRESH_FAILED, details=details)
    return RefreshResult(integration.pk, RefreshOutcome.MISCONFIGURED, integration)


def _valid_until(grant) -> str:
    return f"novo token válido até {timezone.localtime(grant.expires_at):%d/%m/%Y %H:%M}"


# --- Queueing, deduplicated ----------------------------------------------------------------------


def _queued_key(integration_id: int) -> str:
    return f"{KEY_PREFIX}queued:{integration_id}"


def integration_enqueue_refresh(
    *, integration_id: int, force: bool = False, countdown: float | None = None
) -> bool:
    """Queues one refresh task after commit; False when one is already queued or running.

    The slot is a cache key taken with an atomic add and released by the task when it ends (kept
    across its retries); its TTL frees it should a worker vanish.
    """
    if not store.add(_queued_key(integration_id), "1", ttl=conf.dedup_ttl_seconds()):
        return False
    transaction.on_commit(partial(_send_refresh_task, integration_id, force, countdown))
    return True


def refresh_slot_release(*, integration_id: int) -> None:
    store.delete(_queued_key(integration_id))


def refresh_slot_extend(*, integration_id: int, seconds: float) -> None:
    """Keeps the slot through a retry's countdown."""
    store.set(_queued_key(integration_id), "1", ttl=int(seconds) + conf.dedup_ttl_seconds())


def _send_refresh_task(integration_id: int, force: bool, countdown: float | None) -> None:
    from integrations.tasks import refresh_integration_task  # tasks import services, not back

    options: dict = {"countdown": countdown} if countdown else {}
    if queue := conf.task_queue():
        options["queue"] = queue
    try:
        refresh_integration_task.apply_async(
            args=[integration_id], kwargs={"force": True} if force else {}, **options
        )
    except Exception:
        # Broker down (or, with tasks run inline, an unexpected error): free the slot so the
        # next sweep tries again, and keep sweeping the others.
        refresh_slot_release(integration_id=integration_id)
        logger.exception(
            "integrations.refresh.enqueue_failed", extra={"integration_id": integration_id}
        )


# --- The sweep -----------------------------------------------------------------------------------


def integrations_due_for_refresh(
    *, window: timedelta, batch_size: int, now: datetime | None = None
) -> Iterator[list[int]]:
    """Ids of the Ativo integrations whose access token expires within ``window``, in batches.

    One query per batch on ``integration_due_idx`` (status, access_token_expires_at), soonest
    first, paginated by keyset on (access_token_expires_at, id): no OFFSET, no row read twice.
    """
    cutoff = (now or timezone.now()) + window
    due = Integration.objects.filter(
        status=Integration.Status.ACTIVE, access_token_expires_at__lte=cutoff
    ).order_by("access_token_expires_at", "pk")
    after: tuple[datetime, int] | None = None
    while True:
        page = due
        if after is not None:
            expires_at, pk = after
            page = page.filter(access_token_expires_at__gte=expires_at).filter(
                Q(access_token_expires_at__gt=expires_at) | Q(pk__gt=pk)
            )
        rows = list(page.values_list("access_token_expires_at", "pk")[:batch_size])
        if rows:
            yield [pk for _expires_at, pk in rows]
        if len(rows) < batch_size:
            return
        after = rows[-1]


def refresh_sweep() -> int:
    """Enqueues one refresh per due integration, spread by a little jitter; returns how many."""
    jitter = conf.sweep_jitter_seconds()
    enqueued = already_queued = 0
    batches = integrations_due_for_refresh(
        window=conf.refresh_window(), batch_size=conf.sweep_batch_size()
    )
    for ids in batches:
        for integration_id in ids:
            countdown = random.uniform(0, jitter) if jitter else None  # noqa: S311 (jitter)
            if integration_enqueue_refresh(integration_id=integration_id, countdown=countdown):
                enqueued += 1
            else:
                already_queued += 1
    logger.info(
        "integrations.refresh.sweep_done",
        extra={"enqueued": enqueued, "already_queued": already_queued},
    )
    return enqueued
