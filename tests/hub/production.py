"""Runs Python code in a fresh process under production-like settings (DEBUG off, real secrets)."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

from marketplaces import PROVIDERS
from marketplaces.base.configuration import CREDENTIAL_FIELDS, setting_name

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 30 + "-a-production-like-secret-key-0123456789",
    "TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    # Every marketplace's credentials (a partner id is a number where one is).
    **{
        setting_name(provider, field): "1001" if field == "client_id" else "secret"
        for provider in PROVIDERS.values()
        for field in CREDENTIAL_FIELDS
    },
    "ALLOWED_HOSTS": "hub.example.com",
    "SITE_URL": "https://hub.example.com",
    # Never the caller's database: the subprocess only needs one to answer.
    "DATABASE_URL": "sqlite:///:memory:",
}
_INHERITED_PREFIXES = (
    *(f"{provider.settings_prefix}_" for provider in PROVIDERS.values()),
    "MARKETPLACE",
    "DJANGO_",
    "DEBUG",
    "SECRET_KEY",
    "TOKEN_ENCRYPTION",
    "SITE_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "DEV_SECRETS_DIR",
)


def run_with_settings(code: str, **env_overrides: str) -> subprocess.CompletedProcess:
    """``env_overrides`` on top of PRODUCTION_ENV; this process's own hub settings never leak in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_INHERITED_PREFIXES)}
    env.update(PRODUCTION_ENV, **env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
