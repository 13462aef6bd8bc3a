"""What the hub asks of a marketplace, and how a marketplace describes itself to sellers.

A provider is a stateless descriptor built from a frozen config (the registry builds one per
configuration); the stored integration holds the state. Everything a screen, an e-mail or the
admin says about a marketplace comes from these class attributes, so generic code never names one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from datetime import timedelta
from typing import ClassVar

from .values import (
    AccountKind,
    AuthorizationCallback,
    Capability,
    ChosenAccount,
    OAuth2Config,
    TokenGrant,
    UnknownOutcomeRetry,
)


class OAuth2Provider(ABC):
    """One marketplace: its OAuth 2.0 authorization server, its API and its words."""

    def __init_subclass__(cls, **kwargs) -> None:
        """Its name with the right article, for sentences: ``the_name`` "o Mercado Livre",
        ``in_name`` "no Mercado Livre", ``of_name`` "do Mercado Livre"; ``in_screen`` "no ID
        Magalu" and ``to_screen`` "para o ID Magalu" for where the seller signs in."""
        super().__init_subclass__(**kwargs)
        if "display_name" not in vars(cls) and "login_screen" not in vars(cls):
            return
        name, screen = cls.display_name, cls.login_screen
        screen_feminine = (
            cls.feminine if cls.login_screen_feminine is None else (cls.login_screen_feminine)
        )
        article, screen_article = ("a" if cls.feminine else "o"), ("a" if screen_feminine else "o")
        cls.the_name = f"{article} {name}"
        cls.in_name = f"n{article} {name}"
        cls.of_name = f"d{article} {name}"
        cls.in_screen = f"n{screen_article} {screen}"
        cls.to_screen = f"para {screen_article} {screen}"

    key: ClassVar[str]
    display_name: ClassVar[str]  # "Magazine Luiza"
    short_name: ClassVar[str]  # as sellers say it: "Magalu"
    # "Seu token <possessive_name>": "Magalu" (the seller's words), "do Mercado Livre".
    possessive_name: ClassVar[str]
    login_screen: ClassVar[str]  # where the seller signs in and picks the account: "ID Magalu"
    # Portuguese articles agree with the name: "no Mercado Livre", "na Shopee".
    feminine: ClassVar[bool] = False
    login_screen_feminine: ClassVar[bool | None] = None  # None: as the name
    # What the seller picks there, and how this marketplace names each kind of account.
    account_noun: ClassVar[str]  # "Pessoa Jurídica", "conta"
    account_kind_names: ClassVar[Mapping[AccountKind, str]]
    accepted_account_kinds: ClassVar[frozenset[AccountKind]]
    # One-line instructions, in pt-BR, for the confirmation page, the e-mail and the refusals.
    account_hint: ClassVar[str]
    several_accounts_hint: ClassVar[str] = ""
    refused_kind_hint: ClassVar[str] = ""
    operator_login_hint: ClassVar[str] = ""
    # True when the login is the account: another account means signing out first (its logout
    # URL is a config field); False when the login screen lists every account to pick from.
    account_switch_needs_sign_out: ClassVar[bool] = False
    # The warning before the trip to the login screen, in paragraphs: **…** marks the words to
    # stress, "{account}" where the account being reactivated is named (when there is one).
    warning: ClassVar[tuple[str, ...]]
    # Its mark (the hub's own simple drawing, a static file of the marketplace's package).
    logo: ClassVar[str]
    # What it offers beyond sign-in and renewal, and the classes that serve it.
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    orders_reader: ClassVar[type | None] = None  # with Capability.ORDERS
    push_parser: ClassVar[type | None] = None  # with Capability.PUSH (marketplaces.base.push)
    # With Capability.PUSH, where the marketplace keeps what it could not deliver
    # (marketplaces.base.missed_feeds); None: it keeps nothing the hub can read back.
    missed_feed_reader: ClassVar[type | None] = None
    # How the registry builds one: setting f"{settings_prefix}_{FIELD}" for each config field.
    config_class: ClassVar[type[OAuth2Config]]
    settings_prefix: ClassVar[str]
    # OAuth error codes meaning an operator login, not the account's administrator, tried.
    operator_login_errors: ClassVar[frozenset[str]] = frozenset()
    # The access token's documented lifetime: the keeper renews it when a fraction of it is left.
    access_token_lifetime: ClassVar[timedelta]
    # After a refresh whose outcome is unknown (see UnknownOutcomeRetry); the config may override.
    default_unknown_outcome_retry: ClassVar[UnknownOutcomeRetry] = UnknownOutcomeRetry.AFTER_WINDOW
    # Config fields holding URLs a form post of ours may be redirected to: "Sim" goes to the
    # consent page, the consent page's "Continuar" comes back to the redirect URI (CSP
    # form-action applies to the redirects that follow a form post in Chromium).
    form_action_fields: ClassVar[tuple[str, ...]] = ("authorize_url", "redirect_uri")
    # Callback query parameters beyond RFC 6749's that the marketplace sends back (an account
    # id beside the code, say): the hub's callback hands them to ``exchange_code`` as ``extra``.
    callback_params: ClassVar[tuple[str, ...]] = ()
    # What the seller is told when ``exchange_code`` raises ``AuthorizationUnsupported``.
    unsupported_authorization_hint: ClassVar[str] = ""
    # How long before the authorization's own end (TokenGrant.authorization_expires_at) the
    # seller is warned to authorize again.
    authorization_end_warning: ClassVar[timedelta] = timedelta(days=7)
    # Setting names that differ from the config field's (``{"client_secret": "PARTNER_KEY"}``):
    # the marketplace's own words for its credentials.
    setting_names: ClassVar[Mapping[str, str]] = {}

    config: OAuth2Config
    # Templates receive the class for its words; Django must not try to instantiate it.
    do_not_call_in_templates: ClassVar[bool] = True

    @classmethod
    def account_kind_name(cls, kind: AccountKind, raw: str = "") -> str:
        """How the marketplace calls this kind ("Pessoa Física"); an unknown one is named as
        such, with the marketplace's own word for it in quotes for support."""
        known = cls.account_kind_names.get(kind)
        if known:
            return known
        return f"conta de tipo desconhecido (“{raw}”)" if raw else "conta de tipo não informado"

    @property
    def unknown_outcome_retry(self) -> UnknownOutcomeRetry:
        """How to retry after an unknown outcome: the config's choice, else the marketplace's."""
        chosen = self.config.unknown_outcome_retry
        return UnknownOutcomeRetry(chosen) if chosen else self.default_unknown_outcome_retry

    @property
    @abstractmethod
    def uses_pkce(self) -> bool: ...

    @property
    @abstractmethod
    def issuer(self) -> str:
        """The authorization server's issuer identifier, to check a callback's `iss` (RFC 9207)."""

    @abstractmethod
    def authorization_url(self, *, state: str, code_challenge: str | None = None) -> str: ...

    @abstractmethod
    def exchange_code(self, callback: AuthorizationCallback) -> TokenGrant:
        """The callback's code for a grant."""

    @abstractmethod
    def refresh(self, *, refresh_token: str, account_id: str = "") -> TokenGrant:
        """A renewed grant; ``account_id`` is the integration's, for servers that want it."""

    @abstractmethod
    def identify_account(self, *, grant: TokenGrant) -> ChosenAccount:
        """Which account the seller chose on the consent screen, named as the marketplace shows
        it. Raises the typed errors when the marketplace cannot tell now."""

    @abstractmethod
    def check_access_token(self, *, access_token: str, account_id: str = "") -> None:
        """One cheap authenticated call; raises ``AccessTokenRejected`` on a 401."""
