"""The marketplaces the hub can connect: the registry, and the one place that builds providers.

Adding a marketplace is a provider module, its stand-in in ``integrations.sandbox`` and one line
in ``PROVIDERS``. Nothing outside those names a marketplace.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from .configuration import config_from_settings
from .errors import (
    AccessTokenRejected,
    GrantRevoked,
    OperatorLogin,
    ProviderError,
    ProviderMisconfigured,
    TemporarilyUnavailable,
)
from .interface import OAuth2Provider
from .magalu import MagaluProvider
from .mercadolivre import MercadoLivreProvider
from .values import (
    AccountKind,
    ChosenAccount,
    OAuth2Config,
    TokenGrant,
    UnknownOutcomeRetry,
)

__all__ = [
    "PROVIDERS",
    "AccessTokenRejected",
    "AccountKind",
    "ChosenAccount",
    "GrantRevoked",
    "OAuth2Provider",
    "OperatorLogin",
    "ProviderError",
    "ProviderMisconfigured",
    "TemporarilyUnavailable",
    "TokenGrant",
    "UnknownMarketplace",
    "UnknownOutcomeRetry",
    "enabled_marketplaces",
    "get_provider",
    "logout_url",
    "marketplace_choices",
    "marketplace_name",
    "marketplace_short_name",
    "provider_class",
]

PROVIDERS: dict[str, type[OAuth2Provider]] = {
    "magalu": MagaluProvider,
    "mercadolivre": MercadoLivreProvider,
}


class UnknownMarketplace(KeyError):
    """No provider is registered under this key."""

    def __str__(self) -> str:
        return f"unknown marketplace: {self.args[0]!r}"


def provider_class(key: str) -> type[OAuth2Provider]:
    """The provider's class: its words and rules, without building it (no settings needed)."""
    try:
        return PROVIDERS[key]
    except KeyError:
        raise UnknownMarketplace(key) from None


def get_provider(key: str) -> OAuth2Provider:
    """The provider for key, configured from the current settings.

    Settings are read on every call (tests override them); the instance, and so its HTTP
    connection pool, is shared while the configuration stays the same.
    """
    cls = provider_class(key)
    return _provider_for(cls, config_from_settings(cls, settings))


def logout_url(key: str) -> str:
    """Where the seller signs out of the marketplace ("" when unknown or not configured)."""
    try:
        return get_provider(key).config.logout_url
    except (UnknownMarketplace, ProviderError):
        return ""


def enabled_marketplaces() -> list[str]:
    """The marketplaces this deployment offers to sellers (setting MARKETPLACES), in order."""
    enabled = getattr(settings, "MARKETPLACES", list(PROVIDERS))
    return [key for key in enabled if key in PROVIDERS]


def marketplace_choices() -> list[tuple[str, str]]:
    return [(key, PROVIDERS[key].display_name) for key in enabled_marketplaces()]


def marketplace_name(key: str) -> str:
    """The display name ("Magazine Luiza"); the key itself for one no longer registered."""
    cls = PROVIDERS.get(key)
    return cls.display_name if cls else key


def marketplace_short_name(key: str) -> str:
    """The everyday name ("Magalu"); the key itself for one no longer registered."""
    cls = PROVIDERS.get(key)
    return cls.short_name if cls else key


@lru_cache(maxsize=16)
def _provider_for(cls: type[OAuth2Provider], config: OAuth2Config) -> OAuth2Provider:
    return cls(config)  # type: ignore[call-arg]
