"""A refresh's token request, ready to leave with its lease held, and the answer it got.

A refresh holds its worker for the lease, the token request and the store of the answer; only the
request waits on the network. Sending touches no database, so a batch sends its requests on a
thread of their own (``token_request_lane``), one at a time: the next leaves as soon as the
previous answer is in, while the task's thread stores that answer and takes the next lease. Still
one request in flight per worker, with the database work done in its shadow.
"""

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from integrations import conf
from integrations.helper_thread import one_helper_thread
from integrations.models import Integration
from integrations.services.lease import RefreshLease
from marketplaces import (
    GrantRevoked,
    OAuth2Provider,
    OperatorLogin,
    ProviderError,
    ProviderMisconfigured,
    TemporarilyUnavailable,
    TokenGrant,
    UnknownOutcomeRetry,
)


@dataclass(frozen=True)
class TokenAnswer:
    """A new pair, or the provider's error. ``unknown_since``: when a request that went
    unanswered left (the marketplace may still process it), if one did; ``doubt_since``: when a
    request the marketplace answered with an error left (it may have rotated first), if one did."""

    grant: TokenGrant | None = field(default=None, repr=False)
    error: ProviderError | None = None
    unknown_since: datetime | None = None
    doubt_since: datetime | None = None


@dataclass(frozen=True)
class TokenRequest:
    """One refresh's request: the lease is taken and committed, the token read and decrypted."""

    integration: Integration
    provider: OAuth2Provider
    refresh_token: str = field(repr=False)
    lease: RefreshLease
    # The row's token as read: the store compares against it.
    sent_ciphertext: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "sent_ciphertext", self.integration.refresh_token_ciphertext)

    def send(self) -> TokenAnswer:
        """The token request (RFC 6749 §6); a server with a reuse grace period gets the same
        token once more at once whenever it may have rotated it (unknown, or answered in doubt),
        within its grace; any other waits for the retry."""
        at_once = self.provider.unknown_outcome_retry is UnknownOutcomeRetry.AT_ONCE
        unknown_since = doubt_since = None
        for attempt in range(2 if at_once else 1):
            sent_at = timezone.now()
            try:
                grant = self.provider.refresh(
                    refresh_token=self.refresh_token, account_id=self.integration.external_id
                )
            except TemporarilyUnavailable as exc:
                if exc.outcome_unknown:
                    unknown_since = unknown_since or sent_at
                elif exc.answered_in_doubt:
                    doubt_since = doubt_since or sent_at
                if exc.may_have_acted and at_once and attempt == 0:
                    continue
                return TokenAnswer(error=exc, unknown_since=unknown_since, doubt_since=doubt_since)
            except (GrantRevoked, OperatorLogin, ProviderMisconfigured) as exc:
                return TokenAnswer(error=exc, unknown_since=unknown_since, doubt_since=doubt_since)
            return TokenAnswer(grant=grant, unknown_since=unknown_since, doubt_since=doubt_since)
        raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def token_request_lane() -> Iterator[Executor]:
    """Where a batch sends its token requests (on the task's own thread when
    ``INTEGRATIONS_REFRESH_OVERLAP`` is off)."""
    with one_helper_thread(enabled=conf.refresh_overlap(), name="token-request") as lane:
        yield lane
