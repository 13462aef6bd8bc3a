"""A refresh's token request, ready to leave with its lease held, and the answer it got.

Sending touches the network only, never the database, so a batch may send it on a thread of its
own while the keeper's thread does the database work of the refresh before it (``refresh_lane``).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from integrations.models import Integration
from integrations.providers import (
    GrantRevoked,
    OAuth2Provider,
    OperatorLogin,
    ProviderError,
    ProviderMisconfigured,
    TemporarilyUnavailable,
    TokenGrant,
    UnknownOutcomeRetry,
)
from integrations.services.lease import RefreshLease


@dataclass(frozen=True)
class TokenAnswer:
    """A new pair, or the provider's error. ``unknown_since``: when a request that went
    unanswered left (the marketplace may have processed it), if one did."""

    grant: TokenGrant | None = field(default=None, repr=False)
    error: ProviderError | None = None
    unknown_since: datetime | None = None


@dataclass(frozen=True)
class TokenRequest:
    """One refresh's request: the lease is taken and committed, the token read and decrypted."""

    integration: Integration
    provider: OAuth2Provider
    refresh_token: str = field(repr=False)
    lease: RefreshLease
    sent_ciphertext: str  # the row's token as read: the store compares against it

    def send(self) -> TokenAnswer:
        """The token request (RFC 6749 §6); a server with a reuse grace period gets the same
        token once more at once after an unknown outcome, any other waits for the retry."""
        at_once = self.provider.unknown_outcome_retry is UnknownOutcomeRetry.AT_ONCE
        unknown_since = None
        for attempt in range(2 if at_once else 1):
            sent_at = timezone.now()
            try:
                grant = self.provider.refresh(refresh_token=self.refresh_token)
            except TemporarilyUnavailable as exc:
                if exc.outcome_unknown:
                    unknown_since = unknown_since or sent_at
                    if at_once and attempt == 0:
                        continue
                return TokenAnswer(error=exc, unknown_since=unknown_since)
            except (GrantRevoked, OperatorLogin, ProviderMisconfigured) as exc:
                return TokenAnswer(error=exc, unknown_since=unknown_since)
            return TokenAnswer(grant=grant, unknown_since=unknown_since)
        raise AssertionError("unreachable")  # pragma: no cover
