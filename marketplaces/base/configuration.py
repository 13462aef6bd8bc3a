"""One settings mechanism for every marketplace: ``<PREFIX>_<FIELD>`` per config field.

Each provider's ``config_class`` is the schema (field names, types and production defaults) and
its ``settings_prefix`` the namespace: ``MAGALU_TOKEN_URL`` is field ``token_url`` of the provider
whose prefix is ``MAGALU``. The project's settings do not list them: the registry reads a
provider's config at call time (``config_from_settings``), from Django's settings when one is set
there (tests override any of them), else from the environment.
"""

from __future__ import annotations

import os
import typing
from collections.abc import Callable, Iterable
from dataclasses import MISSING, fields
from functools import cache
from typing import Any

import environ

from .errors import ProviderMisconfigured
from .interface import OAuth2Provider

_ENV = environ.Env()
# The credentials a deployment must supply for every marketplace it enables.
CREDENTIAL_FIELDS = ("client_id", "client_secret")


def setting_name(provider_class: type[OAuth2Provider], field_name: str) -> str:
    suffix = provider_class.setting_names.get(field_name, field_name.upper())
    return f"{provider_class.settings_prefix}_{suffix}"


def callback_path(key: str) -> str:
    """The hub's OAuth callback for a marketplace (``integrations.urls``, name "callback")."""
    return f"/integracoes/{key}/retorno/"


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


def missing_credentials(providers: Iterable[type[OAuth2Provider]], settings) -> list[str]:
    """The credential settings left empty among the given providers'."""
    return [
        setting_name(provider_class, field_name)
        for provider_class in providers
        for field_name in CREDENTIAL_FIELDS
        if _value(provider_class, field_name, settings, _defaults(provider_class, settings))
        in (_UNSET, "", None)
    ]


def form_action_urls(providers: Iterable[type[OAuth2Provider]], settings) -> list[str]:
    """Where a form post of ours may be redirected, per provider (for the CSP's form-action);
    read field by field, so a marketplace still lacking its credentials does not break a page."""
    urls = []
    for provider_class in providers:
        defaults = _defaults(provider_class, settings)
        declared = {field.name: field.default for field in fields(provider_class.config_class)}
        for field_name in provider_class.form_action_fields:
            value = _value(provider_class, field_name, settings, defaults)
            urls.append(declared.get(field_name, "") if value is _UNSET else value)
    return urls


def config_from_settings(provider_class: type[OAuth2Provider], settings) -> Any:
    """The provider's config, read now (tests override settings): for each field, the Django
    setting ``<PREFIX>_<FIELD>`` when there is one, else the environment variable of that name,
    else the stand-in's address (development), else the production default."""
    defaults = _defaults(provider_class, settings)
    values: dict[str, Any] = {}
    for config_field in fields(provider_class.config_class):
        value = _value(provider_class, config_field.name, settings, defaults)
        if config_field.name in CREDENTIAL_FIELDS and value in ("", None):
            value = _UNSET  # an empty credential is a missing one
        if value is not _UNSET:
            values[config_field.name] = value
        elif config_field.default is MISSING and config_field.default_factory is MISSING:
            name = setting_name(provider_class, config_field.name)
            raise ProviderMisconfigured(f"{provider_class.display_name}: setting {name} ausente")
    return provider_class.config_class(**values)


_UNSET = object()


@cache
def _field_types(config_class: type) -> dict[str, Any]:
    """The config's field types (read once: ``get_type_hints`` is slow, and a provider is built
    from its settings on every use)."""
    return typing.get_type_hints(config_class)


def _value(provider_class: type[OAuth2Provider], field_name: str, settings, defaults) -> Any:
    name = setting_name(provider_class, field_name)
    if hasattr(settings, name):
        return getattr(settings, name)
    if name in os.environ:
        return _read(_ENV, name, _field_types(provider_class.config_class)[field_name], None)
    return defaults.get(field_name, _UNSET)


def _defaults(provider_class: type[OAuth2Provider], settings) -> dict[str, Any]:
    """Development's and the deployment's defaults: the callback on SITE_URL and, with the
    stand-ins on, the stand-in's addresses and demo client (credentials have no default)."""
    defaults: dict[str, Any] = {
        "redirect_uri": f"{settings.SITE_URL.rstrip('/')}{callback_path(provider_class.key)}",
    }
    if getattr(settings, "MARKETPLACE_SANDBOX", False):
        from marketplaces.sandbox.registry import STAND_INS, provider_defaults

        stand_in = STAND_INS.get(provider_class.key)
        if stand_in is not None:
            defaults.update(provider_defaults(settings.MARKETPLACE_SANDBOX_BASE_URL, stand_in))
    return defaults
