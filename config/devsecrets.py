"""Throwaway secrets for development, kept under the git-ignored ``var/dev/`` folder.

Production never reaches this module: ``config.settings`` refuses to start without real secrets
when ``DEBUG`` is off.
"""

import secrets
from pathlib import Path

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured


def _read_or_create(path: Path, make) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def secret_key(folder: Path) -> str:
    return _read_or_create(folder / "secret_key", lambda: secrets.token_urlsafe(50))


def token_encryption_key(folder: Path) -> str:
    return _read_or_create(folder / "token_key", lambda: Fernet.generate_key().decode())


def validate_token_encryption_keys(keys: list[str]) -> None:
    """Each key must be a Fernet key (32 url-safe base64-encoded bytes): checked at start-up."""
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"TOKEN_ENCRYPTION_KEYS: key #{position} is not a valid Fernet key "
                "(32 url-safe base64-encoded bytes)."
            ) from exc
