"""The production recipe as processes (scripts/production-check.sh): the compose services'
commands (migrate, gunicorn with its conf, celery worker, celery beat) behind Caddy with
DEBUG=false, a refresh against the stand-in, and that refresh in /metrics through the proxy."""

import os
import shutil
import subprocess

import pytest

from tests.hub.production import ROOT

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(not shutil.which("caddy"), reason="caddy missing (apt-get install caddy)"),
]


def test_the_production_recipe_serves_https_and_counts_a_refresh():
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "MAGALU_", "MERCADOLIVRE_", "MARKETPLACE", "DEBUG"))
    }
    env |= {
        "OPS_REDIS_URL": os.environ["REDIS_URL"],
        "OPS_DATABASE": f"hub_ops_check_{os.getpid()}",
        "OPS_POSTGRES": os.environ["DATABASE_URL"].rsplit("/", 1)[0],
    }
    result = subprocess.run(
        [str(ROOT / "scripts" / "production-check.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = result.stdout
    assert result.returncode == 0, output[-3000:] + result.stderr[-3000:]
    assert "GET /entrar/ -> 200" in output  # HTTPS through Caddy, certificate verified
    assert "GET /entrar/ -> 301 https://localhost/entrar/" in output  # plain HTTP is redirected
    assert "\n401\n" in output  # /metrics without its token
    assert '"status": "ok"' in output
    assert 'outcome="refreshed"} 1.0' in output
