"""The registry and the one settings mechanism every marketplace's provider is built from."""

from __future__ import annotations

import ast
import os
from dataclasses import fields
from pathlib import Path
from types import SimpleNamespace

import pytest

import marketplaces
from marketplaces import (
    PROVIDERS,
    ProviderMisconfigured,
    UnknownMarketplace,
    enabled_marketplaces,
    get_provider,
    marketplace_choices,
    marketplace_name,
    marketplace_short_name,
)
from marketplaces.base.configuration import (
    config_from_settings,
    form_action_urls,
    missing_credentials,
    setting_name,
)
from marketplaces.magalu.provider import MagaluProvider
from marketplaces.mercadolivre.provider import MercadoLivreProvider

TENANTS_URL = "https://id.magalu.com/account/api/v2/whoami/tenants"


# --- registry ------------------------------------------------------------------------------------


@pytest.fixture
def magalu_settings(settings):
    settings.MAGALU_CLIENT_ID = "registry-client"
    settings.MAGALU_CLIENT_SECRET = "registry-SECRET"
    settings.MAGALU_REDIRECT_URI = "https://hub.example.com/retorno/"
    settings.MAGALU_SCOPES = ["open:order-order:read", "open:portfolio:read"]
    settings.MAGALU_TOKEN_URL = "https://idmagalu.test/oauth/token"
    settings.MAGALU_USE_PKCE = True
    settings.MAGALU_CONNECT_TIMEOUT = 2
    settings.MAGALU_READ_TIMEOUT = 7.5
    return settings


def test_discovery_finds_every_marketplace_package_in_key_order():
    packages = sorted(
        path.parent.name
        for path in Path(marketplaces.__file__).parent.glob("*/provider.py")
        if path.parent.name not in ("base", "sandbox")
    )
    assert list(PROVIDERS) == packages
    assert PROVIDERS["magalu"] is MagaluProvider
    assert PROVIDERS["mercadolivre"] is MercadoLivreProvider
    assert marketplace_choices() == [(key, PROVIDERS[key].display_name) for key in packages]
    assert marketplace_choices()[:2] == [
        ("magalu", "Magazine Luiza"),
        ("mercadolivre", "Mercado Livre"),
    ]


def test_a_deployment_offers_only_the_marketplaces_it_enables(settings):
    settings.MARKETPLACES = ["mercadolivre"]

    assert enabled_marketplaces() == ["mercadolivre"]
    assert marketplace_choices() == [("mercadolivre", "Mercado Livre")]


def test_marketplace_names():
    assert marketplace_name("magalu") == "Magazine Luiza"
    assert marketplace_short_name("magalu") == "Magalu"
    assert (
        marketplace_name("mercadolivre")
        == marketplace_short_name("mercadolivre")
        == "Mercado Livre"
    )
    # A row of a marketplace removed from the registry still renders.
    assert marketplace_name("retired") == "retired"
    assert marketplace_short_name("retired") == "retired"


def test_get_provider_reads_the_current_settings(magalu_settings):
    provider = get_provider("magalu")

    assert isinstance(provider, MagaluProvider)
    assert provider.key == "magalu"
    assert provider.display_name == "Magazine Luiza"
    assert provider.config.client_id == "registry-client"
    assert provider.config.client_secret == "registry-SECRET"
    assert provider.config.scopes == ("open:order-order:read", "open:portfolio:read")
    assert provider.config.token_url == "https://idmagalu.test/oauth/token"
    assert provider.config.timeout == (2.0, 7.5)
    assert provider.uses_pkce is True


def test_get_provider_reuses_the_instance_while_the_settings_stay_the_same(magalu_settings):
    first = get_provider("magalu")
    assert get_provider("magalu") is first

    magalu_settings.MAGALU_CLIENT_ID = "another-client"
    changed = get_provider("magalu")

    assert changed is not first
    assert changed.config.client_id == "another-client"


def test_get_provider_falls_back_to_the_defaults_for_optional_settings(magalu_settings):
    magalu_settings.MARKETPLACE_SANDBOX = False  # production's defaults, not the stand-in's
    for name in ("MAGALU_AUTHORIZE_URL", "MAGALU_TENANTS_URL", "MAGALU_API_URL", "MAGALU_ISSUER"):
        if hasattr(magalu_settings, name):
            delattr(magalu_settings, name)

    config = get_provider("magalu").config

    assert config.authorize_url == "https://id.magalu.com/login"
    assert config.tenants_url == TENANTS_URL
    assert config.api_url == "https://api.magalu.com"


def test_get_provider_without_a_mandatory_setting_is_misconfigured(magalu_settings):
    magalu_settings.MARKETPLACE_SANDBOX = False  # no stand-in's demo client to fall back on
    del magalu_settings.MAGALU_CLIENT_SECRET

    with pytest.raises(ProviderMisconfigured, match="MAGALU_CLIENT_SECRET"):
        get_provider("magalu")


def test_an_unknown_marketplace_is_a_key_error():
    with pytest.raises(UnknownMarketplace) as raised:
        get_provider("amazon")

    assert isinstance(raised.value, KeyError)
    assert "amazon" in str(raised.value)


# --- one settings mechanism ----------------------------------------------------------------------


def _settings(**values) -> SimpleNamespace:
    """Django's settings as the registry reads them: nothing of a marketplace's own."""
    return SimpleNamespace(
        **{"SITE_URL": "https://hub.example.com/", "MARKETPLACE_SANDBOX": False, **values}
    )


def _read(settings, provider_class) -> dict:
    config = config_from_settings(provider_class, settings)
    return {
        setting_name(provider_class, field.name): getattr(config, field.name)
        for field in fields(config)
    }


def _values(settings) -> dict:
    for provider_class in PROVIDERS.values():  # credentials have no default
        for field_name in ("client_id", "client_secret"):
            name = setting_name(provider_class, field_name)
            if not hasattr(settings, name):
                setattr(settings, name, os.environ.get(name, "set-in-the-environment"))
    values = {}
    for provider_class in PROVIDERS.values():
        values.update(_read(settings, provider_class))
    return values


def test_every_provider_is_read_under_its_own_prefix_with_production_defaults(monkeypatch):
    monkeypatch.setenv("MAGALU_CLIENT_ID", "m-id")
    monkeypatch.setenv("MERCADOLIVRE_READ_TIMEOUT", "3.5")
    monkeypatch.setenv("MAGALU_SCOPES", "a,b")

    values = _values(_settings())

    assert values["MAGALU_CLIENT_ID"] == "m-id"
    assert values["MAGALU_SCOPES"] == ("a", "b")
    assert values["MAGALU_TOKEN_URL"] == "https://id.magalu.com/oauth/token"
    assert values["MAGALU_REDIRECT_URI"] == "https://hub.example.com/integracoes/magalu/retorno/"
    assert values["MERCADOLIVRE_READ_TIMEOUT"] == 3.5
    assert values["MERCADOLIVRE_TOKEN_URL"] == "https://api.mercadolibre.com/oauth/token"
    assert values["MERCADOLIVRE_AUTHORIZE_URL"] == "https://auth.mercadolivre.com.br/authorization"
    assert values["MERCADOLIVRE_USE_PKCE"] is True
    assert values["MERCADOLIVRE_REDIRECT_URI"].endswith("/integracoes/mercadolivre/retorno/")


def test_the_environment_wins_over_the_stand_ins_defaults(monkeypatch):
    monkeypatch.setenv("MERCADOLIVRE_TOKEN_URL", "https://elsewhere.test/token")
    settings = _settings(MARKETPLACE_SANDBOX=True, MARKETPLACE_SANDBOX_BASE_URL="http://127.0.0.1")

    values = _values(settings)

    assert values["MERCADOLIVRE_TOKEN_URL"] == "https://elsewhere.test/token"
    assert values["MERCADOLIVRE_API_URL"] == "http://127.0.0.1/sandbox/mercadolivre-api"


def test_a_django_setting_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("MAGALU_READ_TIMEOUT", "9")

    assert _values(_settings(MAGALU_READ_TIMEOUT=1.5))["MAGALU_READ_TIMEOUT"] == 1.5


def test_missing_credentials_and_form_action_urls_per_enabled_provider(monkeypatch):
    monkeypatch.setenv("MAGALU_CLIENT_ID", "id")
    monkeypatch.setenv("MAGALU_CLIENT_SECRET", "secret")
    for name in ("MERCADOLIVRE_CLIENT_ID", "MERCADOLIVRE_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    settings = _settings(SITE_URL="https://hub.example.com")

    assert missing_credentials([MagaluProvider], settings) == []
    assert missing_credentials([MercadoLivreProvider], settings) == [
        "MERCADOLIVRE_CLIENT_ID",
        "MERCADOLIVRE_CLIENT_SECRET",
    ]
    assert form_action_urls([MercadoLivreProvider], settings) == [
        "https://auth.mercadolivre.com.br/authorization",
        "https://hub.example.com/integracoes/mercadolivre/retorno/",
    ]


MARKETPLACES_DIR = Path(__file__).parents[3] / "marketplaces"
# The framework and each marketplace's own modules (its stand-in is a Django app: not these).
PROVIDER_MODULES = sorted(
    str(path.relative_to(MARKETPLACES_DIR))
    for path in MARKETPLACES_DIR.glob("*/*.py")
    if path.parent.name != "sandbox" and path.name != "__init__.py"
)


def test_every_marketplace_module_is_checked():
    assert "magalu/provider.py" in PROVIDER_MODULES and "base/oauth2.py" in PROVIDER_MODULES


@pytest.mark.parametrize("module", PROVIDER_MODULES)
def test_providers_do_not_import_django(module):
    """Providers know nothing of Django; only the registry reads Django's settings."""
    source = MARKETPLACES_DIR / module
    imported = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert not {name for name in imported if name.split(".")[0] == "django"}


def test_every_provider_declares_its_words():
    for cls in PROVIDERS.values():
        for name in ("display_name", "short_name", "login_screen", "account_noun", "account_hint"):
            assert getattr(cls, name), (cls, name)
        assert cls.accepted_account_kinds
        assert cls.warning and all(paragraph.strip() for paragraph in cls.warning)
