"""A missing setting in production stops every process with one line naming it, no traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.hub.production import PRODUCTION_ENV, ROOT

BIN = Path(sys.executable).parent
COMMANDS = {
    "manage.py": [sys.executable, "manage.py", "migrate", "--noinput"],
    "gunicorn": [
        str(BIN / "gunicorn"),
        "-c",
        "config/gunicorn_conf.py",
        "--bind",
        "127.0.0.1:8641",
        "config.wsgi:application",
    ],
    "celery worker": [str(BIN / "celery"), "-A", "config", "worker", "--loglevel=INFO"],
    "celery beat": [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("missing", ["SECRET_KEY", "MERCADOLIVRE_CLIENT_SECRET"])
def test_a_missing_setting_is_one_line_naming_it(command, missing, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), **PRODUCTION_ENV, missing: ""}
    result = subprocess.run(
        COMMANDS[command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if "Configuração inválida" in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuração inválida (configuration error): ")
    assert missing in lines[0]
