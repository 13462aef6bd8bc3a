""".env.example is the operator's list of settings: every variable the hub reads is in it."""

import re
from dataclasses import fields
from pathlib import Path

from integrations.conf import DEFAULTS as KEEPER_DEFAULTS
from integrations.orders.conf import DEFAULTS as ORDERS_DEFAULTS
from integrations.push.conf import DEFAULTS as PUSH_DEFAULTS
from marketplaces import PROVIDERS
from marketplaces.base.configuration import setting_name

ROOT = Path(__file__).resolve().parents[2]


def _listed() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, re.M))


def _read() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', source))
    names |= set(KEEPER_DEFAULTS) | set(ORDERS_DEFAULTS) | set(PUSH_DEFAULTS)
    for provider in PROVIDERS.values():
        names |= {setting_name(provider, field.name) for field in fields(provider.config_class)}
    return names


def test_every_variable_the_settings_read_is_listed_in_env_example():
    assert "SECRET_KEY" in _read() and "MAGALU_CLIENT_ID" in _read()  # the scan finds them
    assert sorted(_read() - _listed()) == []
