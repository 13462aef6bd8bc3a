"""The typed errors a provider raises, each named for what the caller must do.

A sent token request ends done (2xx), refused (an RFC 6749 §5.2 error, a 429, a 503
``temporarily_unavailable``), answered in doubt (a plain 500 and the like: the server has finished
with the request, but may have acted before failing) or unknown (a timeout, a reset or a gateway's
502/504 after the request left: the server may still act on it). ``TemporarilyUnavailable``'s
``outcome_unknown`` and ``answered_in_doubt`` tell these apart for the transient failures.
"""

from __future__ import annotations

__all__ = [
    "AccessTokenRejected",
    "AuthorizationUnsupported",
    "GrantRevoked",
    "OperatorLogin",
    "ProviderError",
    "ProviderMisconfigured",
    "TemporarilyUnavailable",
]


class ProviderError(Exception):
    """Base. Message is safe to show operators; never contains token material."""

    def __init__(self, message: str, *, error_code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.error_code = error_code
        self.status = status

    def __str__(self) -> str:
        return self.message


class GrantRevoked(ProviderError):
    """The grant is dead: the seller must reauthorize (invalid_grant, or 400/401 from the token
    endpoint without a recognisable error)."""


class OperatorLogin(ProviderError):
    """The seller signed in with an operator (collaborator) login, which cannot authorize apps:
    only the account's administrator can (Mercado Livre's ``invalid_operator_user_id``)."""


class AuthorizationUnsupported(ProviderError):
    """The seller authorized in a way the hub does not take (the provider's
    ``unsupported_authorization_hint`` says what to do instead); nothing was exchanged."""


class TemporarilyUnavailable(ProviderError):
    """Try again later: timeouts, connection errors, 5xx, 429, unparseable 2xx body."""

    def __init__(
        self,
        message: str,
        *,
        error_code: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        outcome_unknown: bool = False,
        answered_in_doubt: bool = False,
    ):
        super().__init__(message, error_code=error_code, status=status)
        self.retry_after = retry_after
        # True when the request may still be processed (it left, and no answer came back, or a
        # gateway's in the server's place): a refresh token sent that way may be rotated later.
        self.outcome_unknown = outcome_unknown
        # True when the server itself answered, but in a way that does not say whether it acted
        # first (a 500 after committing the rotation): nothing can land later, but a refresh token
        # sent that way may already be rotated.
        self.answered_in_doubt = answered_in_doubt and not outcome_unknown

    @property
    def may_have_acted(self) -> bool:
        """Whether a refresh token sent with this request may be rotated, now or later."""
        return self.outcome_unknown or self.answered_in_doubt


class ProviderMisconfigured(ProviderError):
    """Our own configuration is wrong (invalid_client, unauthorized_client, invalid_scope,
    invalid_request, unsupported_grant_type, a redirect (3xx) from an endpoint, 403/404): an
    operator problem, never the seller's."""


class AccessTokenRejected(ProviderError):
    """The marketplace API answered 401 to the access token."""
