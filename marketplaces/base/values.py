"""Plain values providers answer with and take: grants, chosen accounts, configuration."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from ipaddress import ip_network

__all__ = [
    "NO_ACCOUNT",
    "AccountKind",
    "AuthorizationCallback",
    "Capability",
    "ChosenAccount",
    "OAuth2Config",
    "TokenGrant",
    "UnknownOutcomeRetry",
]


@dataclass(frozen=True)
class AuthorizationCallback:
    """What the consent redirect brought back (RFC 6749 §4.1.2) with the PKCE verifier the hub
    kept for it (RFC 7636 §4.5): what a code is exchanged with."""

    code: str = field(repr=False)
    code_verifier: str | None = field(default=None, repr=False)
    # The marketplace's own ``callback_params`` as received (Shopee's ``shop_id``).
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TokenGrant:
    """What the token endpoint granted (RFC 6749 §5.1)."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: datetime
    scopes: frozenset[str]
    token_type: str = "Bearer"  # noqa: S105 (a token type, not a secret)
    # The account the grant is for, when the token response names it (Mercado Livre's user_id).
    account_id: str = ""
    # When the seller's authorization itself ends, whatever the renewals (None: it never does,
    # or the marketplace does not say). A renewal's grant without one keeps the stored date.
    authorization_expires_at: datetime | None = None
    # The accounts one authorization covers when it covers several at once (an account that
    # manages several stores): the seller confirms which become integrations, each holding this
    # pair until its own first refresh gives it a pair of its own. Empty: one account.
    accounts: tuple[str, ...] = ()


class AccountKind(StrEnum):
    """What kind of account the seller chose on the consent screen.

    Each provider recognises the names its marketplace uses and says which kinds it accepts;
    ``UNKNOWN`` is a name the provider does not recognise: never accepted on a guess.
    """

    LEGAL_ENTITY = "legal_entity"
    NATURAL_PERSON = "natural_person"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ChosenAccount:
    """The account (store) the seller picked on the consent page, as the marketplace showed it."""

    external_id: str | None
    name: str
    email: str = ""
    kind: AccountKind = AccountKind.UNKNOWN
    # The kind as the marketplace spelled it ("PJ", "Organization", ...): evidence for support.
    kind_raw: str = ""
    has_seller_access: bool = True
    # A masked document or account number a seller with several accounts can tell them apart by.
    document: str = ""
    # The whole CNPJ/CPF without punctuation when the marketplace gives it (support's search).
    document_number: str = ""
    # When the authorization ends, when the account's own details say so more exactly than the
    # grant (which may only know the longest it can last).
    authorization_expires_at: datetime | None = None


NO_ACCOUNT = ChosenAccount(None, "", kind=AccountKind.UNKNOWN, has_seller_access=False)


class Capability(StrEnum):
    """What a marketplace offers beyond OAuth 2.0 sign-in and token renewal: declared by its
    provider, never inferred from where its code lives."""

    ORDERS = "orders"  # an orders reader (Provider.orders_reader)
    PUSH = "push"  # notifications of changed orders
    SIGNED_CALLS = "signed_calls"  # every API call signed with the partner key
    PKCE = "pkce"  # RFC 7636 on the consent request


class UnknownOutcomeRetry(StrEnum):
    """How to retry a refresh whose outcome is unknown (the server may have rotated the token).

    Servers differ (RFC 9700 §4.14.2): some accept the just-rotated refresh token again for a
    short grace period, others revoke the whole token family on any reuse. Against the latter a
    retry that races the late original is fatal, so the hub must wait until the original can no
    longer land.
    """

    AT_ONCE = "at_once"  # the server has a reuse grace period: retry with the same token now
    AFTER_WINDOW = "after_window"  # reuse revokes the family: wait out the late-arrival window


@dataclass(frozen=True, kw_only=True)
class OAuth2Config:
    """Settings every Authorization Code provider needs; a marketplace subclasses it with defaults.

    Frozen and hashable: the registry keeps one provider (one Session) per config.
    """

    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    scopes: tuple[str, ...]
    authorize_url: str
    token_url: str
    api_url: str
    healthcheck_path: str
    issuer: str = ""  # RFC 9207 issuer identifier; "" when the server names none
    use_pkce: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    # At most this many refresh requests a second to this marketplace from the whole deployment
    # (the sweep spaces them out); 0 for no limit.
    refresh_rate_limit: float = 0.0
    # "" keeps the provider's policy after an unknown refresh outcome; "at_once" or
    # "after_window" (UnknownOutcomeRetry) overrides it once the marketplace documents its own.
    unknown_outcome_retry: str = ""
    # Where the seller signs out of the marketplace, to come back with another account; no
    # marketplace documents a sign-out endpoint for apps, so this is a page that offers it.
    logout_url: str = ""
    # Where this marketplace's notifications may come from (CIDRs, comma separated in the
    # environment); empty: not checked. A published list helps only while it is current, so it
    # is a setting a deployment can follow, not a constant.
    push_sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Settings hand us lists (or a space-separated string); keep the config hashable.
        scopes = self.scopes.split() if isinstance(self.scopes, str) else self.scopes
        object.__setattr__(self, "scopes", tuple(scopes))
        object.__setattr__(self, "connect_timeout", float(self.connect_timeout))
        object.__setattr__(self, "read_timeout", float(self.read_timeout))
        object.__setattr__(self, "refresh_rate_limit", max(0.0, float(self.refresh_rate_limit)))
        if self.unknown_outcome_retry:
            UnknownOutcomeRetry(self.unknown_outcome_retry)  # a typo stops the start
        sources = self.push_sources
        sources = sources.replace(",", " ").split() if isinstance(sources, str) else sources
        # A typo stops the start too (ValueError), rather than silently checking nothing.
        networks = tuple(str(ip_network(str(s).strip(), strict=False)) for s in sources)
        object.__setattr__(self, "push_sources", networks)

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)
