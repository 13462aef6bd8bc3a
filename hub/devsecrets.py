"""Throwaway secrets for development, kept under the git-ignored ``var/dev/`` folder.

Production never reaches this module: ``hub.settings`` refuses to start without real secrets
when ``DEBUG`` is off.
"""

import secrets
from pathlib import Path

from cryptography.fernet import Fernet


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
