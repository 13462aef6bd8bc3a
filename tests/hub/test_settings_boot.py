"""Production settings refuse to start without real secrets; development generates throwaway ones."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "DEBUG": "false",
    "SECRET_KEY": "s" * 20 + "-production-secret-key-of-enough-length-123456",
    "TOKEN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "MAGALU_CLIENT_ID": "client",
    "MAGALU_CLIENT_SECRET": "secret",
    "ALLOWED_HOSTS": "hub.example.com",
}


def _boot(env_overrides: dict, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MAGALU_", "DJANGO_", "DEBUG", "SECRET_KEY", "TOKEN_ENCRYPTION"))
    }
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "hub.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('booted')"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_boots_with_real_secrets():
    result = _boot(GOOD)
    assert result.returncode == 0, result.stderr
    assert "booted" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "django-insecure-" + "x" * 60}, "SECRET_KEY must be set"),
        ({"TOKEN_ENCRYPTION_KEYS": ""}, "TOKEN_ENCRYPTION_KEYS must be set"),
        ({"TOKEN_ENCRYPTION_KEYS": "not-a-fernet-key"}, "not a valid Fernet key"),
        ({"MAGALU_CLIENT_SECRET": ""}, "MAGALU_CLIENT_ID and MAGALU_CLIENT_SECRET"),
        ({"MAGALU_SANDBOX": "true"}, "MAGALU_SANDBOX"),
    ],
)
def test_production_refuses_to_boot(missing, message):
    result = _boot({**GOOD, **missing})
    assert result.returncode != 0
    assert message in result.stderr


def test_development_generates_throwaway_secrets(tmp_path):
    # A copy of the project layout is not needed: VAR_DIR is under the project; run there and check
    # the files exist afterwards with owner-only permissions.
    result = _boot({"DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    for name in ("secret_key", "token_key"):
        path = ROOT / "var" / "dev" / name
        assert path.exists()
        assert oct(path.stat().st_mode & 0o777) == "0o600"
