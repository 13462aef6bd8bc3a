"""Production settings refuse to start without real secrets; development generates throwaway ones."""

import pytest

from tests.hub.production import ROOT, run_with_settings


def _boot(env_overrides: dict):
    return run_with_settings("import django; django.setup(); print('booted')", **env_overrides)


def test_production_boots_with_real_secrets():
    result = _boot({})
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
    result = _boot(missing)
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
