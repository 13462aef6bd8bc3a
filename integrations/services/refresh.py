"""The token keeper: one refresh of one integration.

RFC 6749 §6 with the rotation the marketplaces apply: every refresh returns a new refresh token
and the old one dies; sending it again may revoke the whole grant (RFC 9700 §4.14.2). So a
refresh holds the integration's lease (``lease``) while its one token request is in flight,
stores the new pair only if the row still holds the token it sent (``grants``), and treats an
answer that never came as *unknown*, not failed: the evidence stays on the row, the retry follows
the provider's ``unknown_outcome_retry`` policy, and the pair stored afterwards is verified
against the API once the original request can no longer land (``rotation``). The late-arrival
window counts from when the unanswered request left. An error the server itself answered (a 500)
leaves nothing to land later: the retry follows the usual backoff and tells by itself whether the
token was rotated, an ``invalid_grant`` then being a lost rotation (the evidence is on the row).
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from integrations import conf
from integrations.crypto import UndecryptableToken
from integrations.due import is_due
from integrations.models import Integration, IntegrationEvent
from integrations.services import reasons
from integrations.services.events import event_record
from integrations.services.grants import apply_grant, grant_store_if_unchanged
from integrations.services.keeper_queue import integration_enqueue_verification
from integrations.services.lease import RefreshLease, lease_record_interrupted, lease_ttl
from integrations.services.lifecycle import integration_mark_expired
from integrations.services.token_request import TokenAnswer, TokenRequest
from marketplaces import (
    GrantRevoked,
    OAuth2Provider,
    OperatorLogin,
    ProviderMisconfigured,
    TemporarilyUnavailable,
    TokenGrant,
    UnknownMarketplace,
    UnknownOutcomeRetry,
    get_provider,
)

logger = logging.getLogger(__name__)

Kind = IntegrationEvent.Kind


class RefreshOutcome(StrEnum):
    REFRESHED = "refreshed"
    NOT_DUE = "not_due"
    ALREADY_REFRESHED = "already_refreshed"  # renewed by someone else since we started
    BUSY = "busy"  # another worker's token request for it is in flight
    NOT_ACTIVE = "not_active"
    EXPIRED = "expired"  # the grant is dead: Token Expirado
    LOST = "lost"  # the marketplace rotated without our receiving the pair: Token Expirado
    UNREADABLE = "unreadable"  # the stored token does not decrypt: Token Expirado
    SUPERSEDED = "superseded"  # a reauthorization stored another pair meanwhile: theirs is kept
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


def integration_refresh(*, integration_id: int, force: bool = False) -> RefreshResult:
    """Renews the integration's token pair if it is Ativo and due (or ``force``).

    Raises ``TemporarilyUnavailable`` after recording it (the caller retries, no sooner than its
    ``retry_after``) and ``Integration.DoesNotExist``; every other ending is a ``RefreshResult``.
    """
    prepared = refresh_prepare(integration_id=integration_id, force=force)
    if isinstance(prepared, RefreshResult):
        return prepared
    return refresh_complete(prepared, prepared.send())


def refresh_prepare(
    *, integration_id: int, force: bool = False, queued_behind: timedelta = timedelta(0)
) -> TokenRequest | RefreshResult:
    """The refresh up to its token request: the lease taken, or why none is needed.

    ``queued_behind``: how long the request may wait for another to go first (a batch takes the
    next lease while the previous request is in flight); the lease covers that wait too. Raises
    as ``integration_refresh`` does.
    """
    started_at = timezone.now()
    taken = RefreshLease.take_if_due(
        integration_id, force=force, now=started_at, queued_behind=queued_behind
    )
    if taken is not None:
        integration, lease, provider = taken
        try:
            refresh_token = integration.refresh_token
        except UndecryptableToken:
            refresh_token = ""
        if refresh_token:
            return TokenRequest(integration, provider, refresh_token, lease)
        lease.release()  # the careful path below says what is wrong with the token
    integration = Integration.objects.get(pk=integration_id)
    skip = _skip_reason(integration, force=force, started_at=started_at)
    if skip is not None:
        return RefreshResult(integration.pk, skip, integration)
    try:
        refresh_token = integration.refresh_token
    except UndecryptableToken:
        return _unreadable(integration)
    if not refresh_token:
        return _expire(
            integration,
            RefreshOutcome.EXPIRED,
            Kind.EXPIRED,
            reasons.no_refresh_token(),
            Integration.ExpiryCause.NO_REFRESH_TOKEN,
        )
    try:
        provider = get_provider(integration.marketplace)
    except (UnknownMarketplace, ProviderMisconfigured) as exc:
        return _misconfigured(integration, exc, lease=None)
    if integration.refresh_lease_id is not None:
        if (
            integration.refresh_lease_expires_at
            and integration.refresh_lease_expires_at > started_at
        ):
            return RefreshResult(integration.pk, RefreshOutcome.BUSY, integration)
        lease_record_interrupted(integration)
    _wait_out_unknown_outcome(integration, provider, now=started_at)
    lease = RefreshLease.take(integration, ttl=lease_ttl(provider), queued_behind=queued_behind)
    if lease is None:  # another worker got there between our read and our UPDATE
        return RefreshResult(integration.pk, RefreshOutcome.BUSY, integration)
    return TokenRequest(integration, provider, refresh_token, lease)


def refresh_complete(request: TokenRequest, answer: TokenAnswer) -> RefreshResult:
    """The refresh after its token request: the new pair stored, or the error recorded (a
    temporary one is raised again after it, for the caller's retry)."""
    integration, provider, lease = request.integration, request.provider, request.lease
    if integration.rotation_unknown_since is None:
        integration.rotation_unknown_since = answer.unknown_since
    if integration.rotation_doubt_since is None:
        integration.rotation_doubt_since = answer.doubt_since
    match answer.error:
        case None:
            return _store(integration, answer.grant, request.sent_ciphertext, lease)
        case TemporarilyUnavailable() as exc:
            _record_transient(integration, provider, exc, lease)
            raise exc
        case GrantRevoked() | OperatorLogin() as exc:
            return _grant_revoked(integration, provider, exc, request.sent_ciphertext, lease)
        case ProviderMisconfigured() as exc:
            return _misconfigured(integration, exc, lease=lease)
    raise AssertionError(f"not a token answer: {answer.error!r}")  # pragma: no cover


def _skip_reason(
    integration: Integration, *, force: bool, started_at: datetime
) -> RefreshOutcome | None:
    if not integration.is_active:
        return RefreshOutcome.NOT_ACTIVE
    if integration.last_renewed_at and integration.last_renewed_at >= started_at:
        return RefreshOutcome.ALREADY_REFRESHED
    if not force and not is_due(integration, now=started_at):
        return RefreshOutcome.NOT_DUE
    return None


def _wait_out_unknown_outcome(
    integration: Integration, provider: OAuth2Provider, *, now: datetime
) -> None:
    """Against a server that revokes a reused token, no retry while the original may land: the
    window counts from when the unanswered request left."""
    since = integration.rotation_unknown_since
    if since is None or provider.unknown_outcome_retry is not UnknownOutcomeRetry.AFTER_WINDOW:
        return
    remaining = (since + conf.rotation_window() - now).total_seconds()
    if remaining > 0:
        raise TemporarilyUnavailable(
            f"{provider.display_name}: aguardando o fim da janela de uma renovação sem resposta",
            retry_after=remaining,
            outcome_unknown=True,
        )


def _store(
    integration: Integration, grant: TokenGrant, sent_ciphertext: str, lease: RefreshLease
) -> RefreshResult:
    verify_after = None
    if integration.rotation_unknown_since is not None:
        verify_after = max(
            timezone.now(), integration.rotation_unknown_since + conf.rotation_window()
        )
    apply_grant(integration, grant, verify_after=verify_after)
    event = IntegrationEvent(
        integration=integration,
        kind=Kind.REFRESHED,
        details=reasons.refreshed(grant.expires_at, verify_after),
    )
    if not grant_store_if_unchanged(
        integration, sent_ciphertext=sent_ciphertext, lease_id=lease.id, event=event
    ):
        logger.warning("integrations.refresh.superseded", extra={"integration_id": integration.pk})
        return RefreshResult(integration.pk, RefreshOutcome.SUPERSEDED)
    if verify_after is not None:
        integration_enqueue_verification(
            integration_id=integration.pk,
            countdown=(verify_after - timezone.now()).total_seconds(),
        )
    logger.info("integrations.refresh.refreshed", extra={"integration_id": integration.pk})
    return RefreshResult(integration.pk, RefreshOutcome.REFRESHED, integration)


def _grant_revoked(
    integration: Integration,
    provider: OAuth2Provider,
    exc: GrantRevoked | OperatorLogin,
    sent_ciphertext: str,
    lease: RefreshLease,
) -> RefreshResult:
    """invalid_grant (RFC 6749 §5.2): a dead grant, unless the token we sent was already stale."""
    stored = Integration.objects.filter(pk=integration.pk).values_list(
        "refresh_token_ciphertext", "status", "refresh_lease_id"
    )
    if stored.first() != (sent_ciphertext, Integration.Status.ACTIVE, lease.id):
        # A reauthorization (or support) replaced the token meanwhile: ours was the old one.
        lease.release()
        logger.warning("integrations.refresh.superseded", extra={"integration_id": integration.pk})
        return RefreshResult(integration.pk, RefreshOutcome.SUPERSEDED)
    extra = {"integration_id": integration.pk, "error_code": exc.error_code}
    if isinstance(exc, OperatorLogin):
        logger.warning("integrations.refresh.operator_login", extra=extra)
        return _expire(
            integration,
            RefreshOutcome.EXPIRED,
            Kind.EXPIRED,
            reasons.operator_login(type(provider)),
            Integration.ExpiryCause.OPERATOR_LOGIN,
        )
    if (
        integration.rotation_unknown_since is not None
        or integration.rotation_doubt_since is not None
        or integration.rotation_verify_after is not None
    ):
        # An earlier request with this very token went unanswered, or was answered with an error
        # after which the server may have committed: the marketplace rotated it and the new pair
        # never reached us (or a late original, or our retry, revoked the family: RFC 9700
        # §4.14.2). The hub cannot tell these apart from a revocation, so it does not say so.
        logger.error("integrations.refresh.lost", extra=extra)
        return _expire(
            integration,
            RefreshOutcome.LOST,
            Kind.REFRESH_LOST,
            reasons.lost_rotation(provider.display_name),
            Integration.ExpiryCause.LOST_ROTATION,
        )
    logger.warning("integrations.refresh.reauthorization_required", extra=extra)
    reason = reasons.revoked(provider.display_name, exc.error_code, exc.status)
    return _expire(
        integration, RefreshOutcome.EXPIRED, Kind.EXPIRED, reason, Integration.ExpiryCause.REVOKED
    )


def _unreadable(integration: Integration) -> RefreshResult:
    # An operator problem first (a key dropped from TOKEN_ENCRYPTION_KEYS?), but only a new
    # authorization gives this integration a token again.
    logger.error("integrations.refresh.token_unreadable", extra={"integration_id": integration.pk})
    return _expire(
        integration,
        RefreshOutcome.UNREADABLE,
        Kind.TOKEN_UNREADABLE,
        reasons.unreadable(),
        Integration.ExpiryCause.UNREADABLE,
    )


def _expire(
    integration: Integration,
    outcome: RefreshOutcome,
    kind: str,
    reason: str,
    cause: str,
) -> RefreshResult:
    """Token Expirado through the one service that does it (event, e-mail after commit)."""
    expired = integration_mark_expired(
        integration_id=integration.pk, reason=reason, kind=kind, cause=cause
    )
    return RefreshResult(integration.pk, outcome, expired)


def _record_transient(
    integration: Integration,
    provider: OAuth2Provider,
    exc: TemporarilyUnavailable,
    lease: RefreshLease,
) -> None:
    """Timeouts, connection errors, 5xx, 429: recorded for support, never Token Expirado.

    After an unknown outcome the evidence is kept on the row and, against a server that revokes
    reused tokens, the retry is pushed past the late-arrival window. After an error the server
    answered (a 500) the evidence is kept too, but nothing can land later: the retry follows the
    usual backoff.
    """
    name = provider.display_name
    now = timezone.now()
    changes = {"last_error": reasons.transient(name, exc), "last_error_at": now}
    details = str(exc)
    # The evidence of this request and of a first one sent at once before it (``send``).
    for evidence in ("rotation_unknown_since", "rotation_doubt_since"):
        if getattr(integration, evidence) is not None:
            changes[evidence] = getattr(integration, evidence)
    if exc.answered_in_doubt:
        details = reasons.answered_in_doubt(name, exc)
    if exc.outcome_unknown:
        since = integration.rotation_unknown_since
        retry_from = None
        if provider.unknown_outcome_retry is UnknownOutcomeRetry.AFTER_WINDOW:
            retry_from = since + conf.rotation_window()
            exc.retry_after = max(exc.retry_after or 0.0, (retry_from - now).total_seconds())
        details = reasons.unknown_outcome(name, exc, retry_from)
    with transaction.atomic():
        if lease.release(**changes):
            event_record(integration=integration, kind=Kind.REFRESH_FAILED, details=details)
    logger.warning(
        "integrations.refresh.temporarily_unavailable",
        extra={
            "integration_id": integration.pk,
            "status": exc.status,
            "retry_after": exc.retry_after,
            "outcome_unknown": exc.outcome_unknown,
            "answered_in_doubt": exc.answered_in_doubt,
        },
    )


def _misconfigured(
    integration: Integration, exc: Exception, *, lease: RefreshLease | None
) -> RefreshResult:
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
    changes = {"last_error": reasons.misconfigured(), "last_error_at": timezone.now()}
    details = reasons.misconfigured_details(integration.marketplace, exc)
    with transaction.atomic():
        if lease is not None:
            lease.release(**changes)
        else:
            Integration.objects.filter(pk=integration.pk).update(**changes)
        event_record(integration=integration, kind=Kind.REFRESH_FAILED, details=details)
    return RefreshResult(integration.pk, RefreshOutcome.MISCONFIGURED, integration)
