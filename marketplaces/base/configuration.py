"""One settings mechanism for every marketplace: ``<PREFIX>_<FIELD>`` per config field.

Each provider's ``config_class`` is the schema (field names, types and production defaults) and
its ``settings_prefix`` the namespace: ``MAGALU_TOKEN_URL`` is field ``token_url`` of the provider
whose prefix is ``MAGALU``. ``hub/settings.py`` reads them all from the environment once
(``settings_from_environment``); the registry builds a provider's config from Django's settings at
call time (``config_from_settings``), so tests can override any of them.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, fields
from typing import Any

from .errors import ProviderMisconfigured
from .interface import OAuth2Provider

# The credentials a deployment must supply for every marketplace it enables.
CREDENTIAL_FIELDS = ("client_id", "client_secret")


def setting_name(provider_class: type[OAuth2Provider], field_name: str) -> str:
    suffix = provider_class.setting_names.get(field_name, field_name.upper())
    return f"{provider_class.settings_prefix}_{suffix}"


def callback_path(key: str) -> str:
    """The hub's OAuth callback for a marketplace (``integrations.urls``, name "callback")."""
    return f"/integracoes/{key}/retorno/"


def settings_from_environment(
    env,
    providers: Mapping[str, type[OAuth2Provider]],
    *,
    site_url: str,
    stand_in_defaults: Mapping[str, Mapping[str, Any]],
) -> dict[str, Any]:
    """Every provider's settings, from the environment, else the stand-in's, else production's.

    ``env`` is a django-environ ``Env``; lists are comma separated in the environment.
    """
    values: dict[str, Any] = {}
    for key, provider_class in providers.items():
        defaults = {
            "client_id": "",
            "client_secret": "",
            "redirect_uri": f"{site_url.rstrip('/')}{callback_path(key)}",
            **stand_in_defaults.get(key, {}),
        }
        hints = typing.get_type_hints(provider_class.config_class)
        for config_field in fields(provider_class.config_class):
            name = setting_name(provider_class, config_field.name)
            default = defaults.get(config_field.name, config_field.default)
            if default is MISSING:
                default = None
            values[name] = _read(env, name, hints[config_field.name], default)
    return values


def _read(env, name: str, kind: Any, default: Any) -> Any:
    readers: dict[Any, Callable[..., Any]] = {
        str: env.str,
        float: env.float,
        bool: env.bool,
        int: env.int,
    }
    if kind in readers:
        return readers[kind](name, default=default)
    # tuple[str, ...]: the scopes, comma separated in the environment.
    return tuple(env.list(name, default=list(default or ())))


def missing_credentials(
    values: Mapping[str, Any], providers: Iterable[type[OAuth2Provider]]
) -> list[str]:
    """The credential settings left empty among the given providers'."""
    return [
        setting_name(provider_class, field_name)
        for provider_class in providers
        for field_name in CREDENTIAL_FIELDS
        if not values.get(setting_name(provider_class, field_name))
    ]


def form_action_urls(
    values: Mapping[str, Any], providers: Iterable[type[OAuth2Provider]]
) -> list[str]:
    """Where a form post of ours may be redirected, per provider (for the CSP's form-action)."""
    return [
        values.get(setting_name(provider_class, field_name), "")
        for provider_class in providers
        for field_name in provider_class.form_action_fields
    ]


def config_from_settings(provider_class: type[OAuth2Provider], settings) -> Any:
    """The provider's config from Django's settings (read now: tests override them)."""
    values: dict[str, Any] = {}
    for config_field in fields(provider_class.config_class):
        name = setting_name(provider_class, config_field.name)
        if hasattr(settings, name):
            values[config_field.name] = getattr(settings, name)
        elif config_field.default is MISSING and config_field.default_factory is MISSING:
            raise ProviderMisconfigured(f"{provider_class.display_name}: setting {name} ausente")
    return provider_class.config_class(**values)
