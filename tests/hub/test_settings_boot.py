"""Production settings refuse to start without real secrets; development generates throwaway ones."""

import pytest

from tests.hub.production import run_with_settings


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
        ({"MAGALU_CLIENT_SECRET": ""}, "MAGALU_CLIENT_SECRET must be set when DEBUG is off"),
        ({"MAGALU_CLIENT_ID": ""}, "MAGALU_CLIENT_ID must be set when DEBUG is off"),
        ({"MARKETPLACE_SANDBOX": "true"}, "MARKETPLACE_SANDBOX"),
        ({"MARKETPLACES": "magalu,amazon"}, "MARKETPLACES names unknown marketplaces ['amazon']"),
    ],
)
def test_production_refuses_to_boot(missing, message):
    result = _boot(missing)
    assert result.returncode != 0
    assert message in result.stderr


def test_a_deployment_offering_one_marketplace_needs_only_its_credentials():
    result = _boot(
        {"MARKETPLACES": "magalu", "MERCADOLIVRE_CLIENT_ID": "", "MERCADOLIVRE_CLIENT_SECRET": ""}
    )
    assert result.returncode == 0, result.stderr

    refused = _boot({"MERCADOLIVRE_CLIENT_SECRET": ""})
    assert "MERCADOLIVRE_CLIENT_SECRET must be set" in refused.stderr


def test_development_generates_throwaway_secrets_once(tmp_path):
    unset = {"SECRET_KEY": "", "TOKEN_ENCRYPTION_KEYS": "", "DEV_SECRETS_DIR": str(tmp_path)}
    result = _boot({"DEBUG": "true", **unset})
    assert result.returncode == 0, result.stderr
    generated = {}
    for name in ("secret_key", "token_key"):
        path = tmp_path / name
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        generated[name] = path.read_text()
    assert len(generated["secret_key"]) >= 50
    # A second start reuses them (sessions and stored tokens survive a restart).
    assert _boot({"DEBUG": "true", **unset}).returncode == 0
    assert {name: (tmp_path / name).read_text() for name in generated} == generated
