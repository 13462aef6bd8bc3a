"""The deployment files, checked without a Docker engine: the compose file against the Compose
Specification's JSON schema, the image's build context against the secrets, the env file against
what the hub reads, Caddy's configuration by Caddy itself when it is installed."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from marketplaces import PROVIDERS
from marketplaces.base.configuration import setting_name
from tests.hub.production import ROOT

# The Compose Specification's schema as check-jsonschema 0.39.0 vendors it (Apache-2.0,
# LICENSE.compose-spec beside it).
SCHEMA = Path(__file__).with_name("compose-spec.json")
COMPOSE = ROOT / "docker-compose.yml"
PRODUCTION_ENV = ROOT / "deploy" / "production.env.example"
# Read by docker-compose.yml's ${…}, not by the hub.
COMPOSE_ONLY = {"POSTGRES_PASSWORD", "HUB_DOMAIN", "CADDY_TLS"}


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _env_names(path: Path) -> set[str]:
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", path.read_text(), re.M))


def test_the_compose_file_validates_against_the_compose_specification():
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(_compose()))
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


def test_the_schema_catches_a_broken_compose_file():
    broken = _compose()
    broken["services"]["web"]["depends_on"]["migrate"]["condition"] = "finished"
    broken["services"]["worker"]["restart_policy"] = "always"
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    assert len(list(validator.iter_errors(broken))) >= 2


def test_web_worker_and_beat_start_only_after_the_migration():
    services = _compose()["services"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name
        assert "migrate" not in " ".join(services[name]["command"])
    assert services["caddy"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert set(services) == {"migrate", "web", "worker", "beat", "caddy", "postgres", "redis"}


def test_only_caddy_publishes_ports_and_gunicorn_trusts_only_its_network():
    compose = _compose()
    published = {name for name, s in compose["services"].items() if "ports" in s}
    assert published == {"caddy"}
    subnet = compose["networks"]["edge"]["ipam"]["config"][0]["subnet"]
    env = PRODUCTION_ENV.read_text()
    assert f"TRUSTED_PROXY_IPS={subnet}\n" in env
    assert "BEHIND_TLS_PROXY=true\n" in env and "DEBUG=false\n" in env
    on_edge = {n for n, s in compose["services"].items() if "edge" in s.get("networks", [])}
    assert on_edge == {"caddy", "web"}


def test_the_production_env_file_names_every_marketplaces_credentials():
    names = _env_names(PRODUCTION_ENV)
    for provider in PROVIDERS.values():
        for field in ("client_id", "client_secret", "redirect_uri"):
            assert setting_name(provider, field) in names, (provider.key, field)
    required = {
        "SECRET_KEY",
        "TOKEN_ENCRYPTION_KEYS",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SITE_URL",
        "EMAIL_URL",
        "BEHIND_TLS_PROXY",
        "TRUSTED_PROXY_IPS",
        "METRICS_TOKEN",
        "SENTRY_DSN",
        "MARKETPLACES",
    }
    assert sorted(required - names) == []
    assert f"MARKETPLACES={','.join(PROVIDERS)}\n" in PRODUCTION_ENV.read_text()
    # Every other name is one the hub documents (and reads), or the compose file's own.
    assert sorted(names - _env_names(ROOT / ".env.example") - COMPOSE_ONLY) == []
    compose_text = COMPOSE.read_text()
    assert all(f"${{{name}:?" in compose_text for name in COMPOSE_ONLY)


# --- The image's build context: .dockerignore ----------------------------------------------------


def _dockerignore_rules() -> list[tuple[bool, re.Pattern]]:
    """(is_exception, regex) per line, as Docker reads them: Go filepath.Match plus ``**``, the
    last matching line wins, and a directory's exclusion covers what is inside it."""
    rules = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        exception = line.startswith("!")
        pattern = line.lstrip("!").strip("/")
        regex = ""
        for token in re.split(r"(\*\*/?|\*|\?)", pattern):
            regex += {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(
                token, re.escape(token)
            )
        rules.append((exception, re.compile(rf"{regex}(?:/.*)?")))
    return rules


def _in_image(path: str, rules) -> bool:
    included = True
    for exception, regex in rules:
        if regex.fullmatch(path):
            included = exception
    return included


def _context_files() -> list[str]:
    tracked = subprocess.run(
        [shutil.which("git") or "/usr/bin/git", "ls-files"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    local = [
        str(p.relative_to(ROOT))
        for folder in ("var", ".venv/bin")
        if (ROOT / folder).is_dir()
        for p in (ROOT / folder).rglob("*")
        if p.is_file()
    ][:5000]
    local += [name for name in (".env", "deploy/production.env") if (ROOT / name).exists()]
    return tracked + local


@pytest.mark.parametrize(
    "secret",
    [
        ".env",
        ".env.production",
        "deploy/production.env",
        "var/dev/secret_key",
        "var/dev/token_key",
        "var/db.sqlite3",
        "var/staticfiles/admin/css/base.css",
        ".venv/bin/python",
        ".git/config",
        ".pytest_cache/v/cache/lastfailed",
        "hub/__pycache__/settings.cpython-313.pyc",
        "db.sqlite3",
        "deploy/tls/hub.key",
        "celerybeat-schedule",
        "tests/settings.py",
    ],
)
def test_secrets_and_local_state_stay_out_of_the_image(secret):
    assert not _in_image(secret, _dockerignore_rules())


def test_the_image_context_holds_the_code_and_nothing_secret():
    rules = _dockerignore_rules()
    files = _context_files()
    included = [f for f in files if _in_image(f, rules)]
    for needed in ("manage.py", "config/settings.py", "requirements.lock", "pyproject.toml"):
        assert needed in included
    assert "templates/base.html" in included and ".env.example" in included
    leaked = [
        f
        for f in included
        if re.search(r"(^|/)(\.env$|var/|\.venv|\.git/|__pycache__)|\.sqlite3$|production\.env$", f)
    ]
    assert leaked == []


def test_the_image_installs_the_pinned_runtime_only_and_runs_unprivileged():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -c requirements.lock ." in dockerfile
    assert "[test]" not in dockerfile
    assert re.search(r"^USER hub$", dockerfile, re.M)
    assert dockerfile.index("USER hub") < dockerfile.index("CMD ")


@pytest.mark.skipif(
    not shutil.which("caddy"), reason="caddy is not installed (apt-get install caddy)"
)
@pytest.mark.parametrize("tls", ["internal", "ops@example.com"])
def test_caddy_reads_the_caddyfile(tls):
    env = {"HUB_DOMAIN": "hub.example.com", "CADDY_TLS": tls, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [shutil.which("caddy"), "adapt", "--config", "deploy/Caddyfile", "--adapter", "caddyfile"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    server = next(iter(config["apps"]["http"]["servers"].values()))
    assert server["routes"][0]["match"] == [{"host": ["hub.example.com"]}]
    assert '"upstreams":[{"dial":"web:8000"}]' in result.stdout


def test_the_dashboard_and_the_alerts_use_metrics_the_hub_exposes():
    collector = (ROOT / "observe" / "collector.py").read_text()
    exposed = set(re.findall(r'"(hub_[a-z_]+)"', collector)) | {"hub_emails_sent_total"}
    alerts = yaml.safe_load((ROOT / "deploy" / "prometheus-alerts.yml").read_text())
    rules = alerts["groups"][0]["rules"]
    assert {"HubBeatStopped", "HubRefreshesFailing", "HubRefreshesLate", "HubQueueGrowing"} <= {
        rule["alert"] for rule in rules
    }
    dashboard = json.loads((ROOT / "deploy" / "grafana-dashboard.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    exprs += [rule["expr"] for rule in rules]
    used = {name for expr in exprs for name in re.findall(r"\bhub_[a-z_]+", expr)}
    assert used and used <= exposed, used - exposed
