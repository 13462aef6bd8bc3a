"""The marketplaces the hub can connect, found by discovery, and the one place that builds them.

A marketplace is one package, ``marketplaces/<key>/``: its ``provider`` module declares the
provider class (its words, logo, settings schema and capabilities), its ``orders`` module the
orders reader, its ``standin`` subpackage the development-only stand-in. Nothing outside those
packages names a marketplace.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from django.conf import settings
from django.core.signals import setting_changed

from .base import errors, values
from .base.configuration import config_from_settings
from .base.errors import *  # noqa: F403 (the vocabulary: each module's __all__)
from .base.interface import OAuth2Provider
from .base.orders import OrderPage, OrderReader, OrderRecord
from .base.push import PushParser
from .base.values import *  # noqa: F403

__all__ = [
    *errors.__all__,
    *values.__all__,
    "PROVIDERS",
    "OAuth2Provider",
    "OrderPage",
    "OrderReader",
    "OrderRecord",
    "UnknownMarketplace",
    "configuration_problems",
    "consent_form_actions",
    "enabled_marketplaces",
    "get_provider",
    "logout_url",
    "marketplace_choices",
    "marketplace_name",
    "marketplace_short_name",
    "parser_for",
    "provider_class",
    "reader_for",
]


def _discover() -> dict[str, type[OAuth2Provider]]:
    """Every ``marketplaces/<key>/provider.py``'s ``Provider``, by its key, in key order."""
    found: dict[str, type[OAuth2Provider]] = {}
    packages = pkgutil.iter_modules(__path__)  # noqa: F405 (the package's own path)
    for package in sorted(packages, key=lambda info: info.name):
        if not package.ispkg or package.name in _NOT_MARKETPLACES:
            continue
        module = importlib.import_module(f"{__name__}.{package.name}.provider")
        provider_class = module.Provider
        if provider_class.key != package.name:
            raise ImportError(f"{module.__name__}: Provider.key must be {package.name!r}")
        found[provider_class.key] = provider_class
    return found


# The packages beside the marketplaces: the shared framework and the stand-ins' shared machinery.
_NOT_MARKETPLACES = frozenset({"base", "sandbox"})
PROVIDERS: dict[str, type[OAuth2Provider]] = _discover()


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

    Its configuration is read once and again whenever a setting changes (tests override them:
    Django's ``setting_changed``); the instance, and so its HTTP connection pool, is shared while
    the configuration stays the same.
    """
    cls = provider_class(key)
    config = _configs.get(cls)
    if config is None:
        config = _configs[cls] = config_from_settings(cls, settings)
    return _provider_for(cls, config)


# Each provider's configuration as last read (a process reads its environment once).
_configs: dict[type[OAuth2Provider], values.OAuth2Config] = {}


# The consent pages' and callbacks' URLs as last read (see consent_form_actions).
_form_actions: list[str] | None = None


def _forget_configs(**kwargs) -> None:
    global _form_actions
    _configs.clear()
    _form_actions = None


setting_changed.connect(_forget_configs, dispatch_uid="marketplaces.configs")


def logout_url(key: str) -> str:
    """Where the seller signs out of the marketplace ("" when unknown or not configured)."""
    try:
        return get_provider(key).config.logout_url
    except (UnknownMarketplace, errors.ProviderError):
        return ""


def enabled_marketplaces() -> list[str]:
    """The marketplaces this deployment offers to sellers (setting MARKETPLACES), in order."""
    enabled = getattr(settings, "MARKETPLACES", None) or list(PROVIDERS)
    return [key for key in enabled if key in PROVIDERS]


def configuration_problems() -> list[str]:
    """What stops a deployment from starting: unknown names in MARKETPLACES, and with DEBUG off
    the credentials of an offered marketplace left empty (one line each, naming the variable)."""
    from .base.configuration import missing_credentials

    problems = []
    if unknown := sorted(set(getattr(settings, "MARKETPLACES", None) or ()) - set(PROVIDERS)):
        problems.append(
            f"MARKETPLACES names unknown marketplaces {unknown}; known: {sorted(PROVIDERS)}."
        )
    if not settings.DEBUG:
        providers = [PROVIDERS[key] for key in enabled_marketplaces()]
        if missing := missing_credentials(providers, settings):
            problems.append(
                f"{', '.join(missing)} must be set when DEBUG is off "
                "(or leave that marketplace out of MARKETPLACES)."
            )
    return problems


def consent_form_actions() -> list[str]:
    """The URLs a form post of ours may be redirected to (the consent pages, the callbacks):
    read once per process, like the configurations, and again when a setting changes (every
    response's CSP names them)."""
    global _form_actions
    if _form_actions is None:
        from .base.configuration import form_action_urls

        providers = [PROVIDERS[key] for key in enabled_marketplaces()]
        _form_actions = form_action_urls(providers, settings)
    return list(_form_actions)


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
def _provider_for(cls: type[OAuth2Provider], config: values.OAuth2Config) -> OAuth2Provider:
    return cls(config)  # type: ignore[call-arg]


def reader_for(marketplace: str) -> OrderReader | None:
    """The marketplace's orders reader over its configured provider; None without the
    capability (or for a marketplace no longer registered)."""
    provider_class = PROVIDERS.get(marketplace)
    if provider_class is None or values.Capability.ORDERS not in provider_class.capabilities:
        return None
    return provider_class.orders_reader(get_provider(marketplace))


def parser_for(marketplace: str) -> PushParser | None:
    """The marketplace's notification (push) parser over its configured provider; None without
    the capability or a parser (or for a marketplace no longer registered)."""
    provider_class = PROVIDERS.get(marketplace)
    if (
        provider_class is None
        or values.Capability.PUSH not in provider_class.capabilities
        or provider_class.push_parser is None
    ):
        return None
    return provider_class.push_parser(get_provider(marketplace))
