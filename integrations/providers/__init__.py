"""The marketplaces the hub can connect, and the one place that builds providers from settings."""

from __future__ import annotations

from dataclasses import MISSING, fields
from functools import lru_cache
from typing import Any

from django.conf import settings

from .base import (
    AccessTokenRejected,
    ChosenTenant,
    GrantRevoked,
    OAuth2Config,
    OAuth2Provider,
    ProviderError,
    ProviderMisconfigured,
    TemporarilyUnavailable,
    TenantKind,
    TokenGrant,
)
from .magalu import MagaluConfig, MagaluProvider

__all__ = [
    "PROVIDERS",
    "AccessTokenRejected",
    "ChosenTenant",
    "GrantRevoked",
    "MagaluConfig",
    "MagaluProvider",
    "OAuth2Provider",
    "ProviderError",
    "ProviderMisconfigured",
    "TemporarilyUnavailable",
    "TenantKind",
    "TokenGrant",
    "UnknownMarketplace",
    "get_provider",
    "marketplace_choices",
    "marketplace_name",
    "marketplace_short_name",
]

PROVIDERS: dict[str, type[OAuth2Provider]] = {
    "magalu": MagaluProvider,
}


class UnknownMarketplace(KeyError):
    """No provider is registered under this key."""

    def __str__(self) -> str:
        return f"unknown marketplace: {self.args[0]!r}"


def get_provider(key: str) -> OAuth2Provider:
    """The provider for key, configured from the current settings.

    Settings are read on every call (tests override them); the instance, and so its HTTP
    connection pool, is shared while the configuration stays the same.
    """
    try:
        provider_class = PROVIDERS[key]
    except KeyError:
        raise UnknownMarketplace(key) from None
    return _provider_for(provider_class, _config_from_settings(provider_class))


def marketplace_choices() -> list[tuple[str, str]]:
    return [(key, provider_class.display_name) for key, provider_class in PROVIDERS.items()]


def marketplace_name(key: str) -> str:
    """The display name ("Magazine Luiza"); the key itself for one no longer registered."""
    provider_class = PROVIDERS.get(key)
    return provider_class.display_name if provider_class else key


def marketplace_short_name(key: str) -> str:
    """The everyday name ("Magalu"); the key itself for one no longer registered."""
    provider_class = PROVIDERS.get(key)
    if provider_class is None:
        return key
    return getattr(provider_class, "short_name", provider_class.display_name)


@lru_cache(maxsize=16)
def _provider_for(provider_class: type[OAuth2Provider], config: OAuth2Config) -> OAuth2Provider:
    return provider_class(config)  # type: ignore[call-arg]


def _config_from_settings(provider_class: type[OAuth2Provider]) -> OAuth2Config:
    """Config field `client_id` of the MAGALU provider comes from setting MAGALU_CLIENT_ID."""
    values: dict[str, Any] = {}
    for config_field in fields(provider_class.config_class):
        name = f"{provider_class.settings_prefix}_{config_field.name.upper()}"
        if hasattr(settings, name):
            values[config_field.name] = getattr(settings, name)
        elif config_field.default is MISSING and config_field.default_factory is MISSING:
            raise ProviderMisconfigured(f"{provider_class.display_name}: setting {name} ausente")
    return provider_class.config_class(**values)
