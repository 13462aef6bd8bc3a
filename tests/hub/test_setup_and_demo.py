"""`make setup` prepares the hub without demo data, so it works with the local stand-ins off."""

import os
import shutil
import sqlite3
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hub.models import Seller
from tests.hub.production import ROOT

_HUB_VARIABLES = ("DEBUG", "DATABASE_URL", "REDIS_URL", "STATIC_ROOT", "DEV_SECRETS_DIR")
_HUB_PREFIXES = ("MAGALU_", "MARKETPLACE_", "DJANGO_", "MAKE", "MFLAGS")
MAKE = shutil.which("make") or "/usr/bin/make"


def _make(*args: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _HUB_VARIABLES and not k.startswith(_HUB_PREFIXES)
    }
    return subprocess.run(
        [MAKE, *args],
        cwd=ROOT,
        env=env | env_overrides,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_make_setup_works_with_the_stand_ins_off_and_seeds_nothing(tmp_path):
    database = tmp_path / "db.sqlite3"
    dot_env = ROOT / ".env"
    had_dot_env = dot_env.exists()
    try:
        # -o: the virtualenv stamp is taken as up to date; this test is about setup's own steps.
        result = _make(
            "-o",
            ".venv/.installed",
            "setup",
            "DEV=1",
            DEBUG="true",
            MAGALU_SANDBOX="false",
            MARKETPLACE_SANDBOX="false",
            DATABASE_URL=f"sqlite:///{database}",
            STATIC_ROOT=str(tmp_path / "static"),
            DEV_SECRETS_DIR=str(tmp_path / "secrets"),
        )
    finally:
        if not had_dot_env:
            dot_env.unlink(missing_ok=True)  # `make setup` creates it on a fresh checkout
    assert result.returncode == 0, result.stdout + result.stderr
    assert "seed_demo" not in result.stdout
    assert (tmp_path / "static" / "admin").is_dir()  # collectstatic ran
    with sqlite3.connect(database) as connection:
        sellers = connection.execute("SELECT count(*) FROM hub_seller").fetchone()[0]
        demo_users = connection.execute(
            "SELECT count(*) FROM auth_user WHERE username IN ('demo', 'suporte')"
        ).fetchone()[0]
    assert (sellers, demo_users) == (0, 0)


@pytest.mark.parametrize("target", ["setup", "worker", "beat"])
def test_setup_worker_and_beat_never_seed_demo_data(target):
    result = _make("-n", target)
    assert result.returncode == 0, result.stderr
    assert "seed_demo" not in result.stdout


def test_make_run_still_seeds_the_demo():
    result = _make("-n", "run")
    assert result.returncode == 0, result.stderr
    commands = result.stdout.splitlines()
    assert commands.index(".venv/bin/python manage.py seed_demo") < commands.index(
        "scripts/run-dev.sh 127.0.0.1 8000"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("switch", ["MARKETPLACE_SANDBOX", "MAGALU_SANDBOX"])
def test_seed_demo_refuses_clearly_with_the_stand_ins_off(settings, switch):
    for name in ("MARKETPLACE_SANDBOX", "MAGALU_SANDBOX"):
        if hasattr(settings, name):
            delattr(settings, name)
    setattr(settings, switch, False)
    with pytest.raises(CommandError, match="precisa dos simuladores locais dos marketplaces"):
        call_command("seed_demo")
    assert not Seller.objects.exists()


def test_make_setup_is_for_production_and_refuses_debug(tmp_path):
    """No test tools, and DEBUG=true refused unless development is asked for (DEV=1)."""
    dry_run = _make("-n", "-B", "setup", DEBUG="false")
    assert dry_run.returncode == 0, dry_run.stderr
    assert "-c requirements.lock -e ." in dry_run.stdout
    assert "[test]" not in dry_run.stdout and ".env.example" not in dry_run.stdout

    refused = _make(
        "-o", ".venv/.installed-runtime", "setup", DEBUG="true", STATIC_ROOT=str(tmp_path)
    )
    assert refused.returncode != 0
    assert "recusa DEBUG=true (refuses DEBUG=true)" in refused.stderr
    assert "migrate" not in refused.stdout
