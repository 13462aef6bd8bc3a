"""gunicorn believes X-Forwarded-Proto only behind a TLS proxy, and only from TRUSTED_PROXY_IPS."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse

from tests.hub.production import PRODUCTION_ENV, ROOT

GUNICORN = Path(sys.executable).with_name("gunicorn")  # beside the interpreter running the tests
_CONF_VALUES = (
    "import json, runpy; ns = runpy.run_path('config/gunicorn_conf.py');"
    "print(json.dumps({k: ns[k] for k in "
    "('bind', 'forwarded_allow_ips', 'secure_scheme_headers')}))"
)
_OUR_VARIABLES = ("BEHIND_TLS_PROXY", "TRUSTED_PROXY_IPS", "GUNICORN_BIND", "PORT")
_HUB_PREFIXES = (
    "MAGALU_",
    "MARKETPLACE",
    "DJANGO_",
    "SECURE_",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
)


def _env(**overrides: str) -> dict:
    """This process's environment without any hub setting, plus ``overrides``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _OUR_VARIABLES and not k.startswith(_HUB_PREFIXES)
    }
    return env | overrides


def _conf(**env: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", _CONF_VALUES],
        cwd=ROOT,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_a_tls_proxy_nobody_is_trusted():
    conf = _conf(BEHIND_TLS_PROXY="false")
    assert conf["forwarded_allow_ips"] == ""
    assert conf["secure_scheme_headers"] == {}
    assert conf["bind"] == ["0.0.0.0:8000"]


def test_behind_a_tls_proxy_only_loopback_by_default():
    conf = _conf(BEHIND_TLS_PROXY="true")
    assert conf["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert conf["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}


def test_trusted_proxies_and_bind_come_from_the_environment():
    conf = _conf(
        BEHIND_TLS_PROXY="true",
        TRUSTED_PROXY_IPS="10.0.0.5,172.16.0.0/12",
        GUNICORN_BIND="127.0.0.1:9000",
    )
    assert conf["forwarded_allow_ips"] == "10.0.0.5,172.16.0.0/12"
    assert conf["bind"] == ["127.0.0.1:9000"]
    # TRUSTED_PROXY_IPS means nothing without BEHIND_TLS_PROXY.
    assert _conf(TRUSTED_PROXY_IPS="10.0.0.5")["forwarded_allow_ips"] == ""
    assert _conf(PORT="5000")["bind"] == ["0.0.0.0:5000"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_with_forwarded_https(server, port: int, path: str) -> http.client.HTTPResponse:
    deadline = time.monotonic() + 20
    while server.poll() is None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request(
                "GET", path, headers={"Host": "hub.example.com", "X-Forwarded-Proto": "https"}
            )
            return connection.getresponse()
        except (ConnectionRefusedError, http.client.RemoteDisconnected):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
        finally:
            connection.close()
    raise AssertionError("gunicorn exited before answering")


@pytest.mark.parametrize(
    ("proxy_env", "believed"),
    [
        ({"BEHIND_TLS_PROXY": "false"}, False),
        ({"BEHIND_TLS_PROXY": "true"}, True),
        # Behind a proxy, but this client is not it: neither gunicorn nor Django believes it.
        ({"BEHIND_TLS_PROXY": "true", "TRUSTED_PROXY_IPS": "10.0.0.5"}, False),
    ],
)
def test_a_real_gunicorn_believes_forwarded_https_only_from_a_trusted_proxy(
    tmp_path, proxy_env, believed
):
    port = _free_port()
    env = _env(
        **PRODUCTION_ENV,
        **proxy_env,
        DJANGO_SETTINGS_MODULE="config.settings",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        STATIC_ROOT=str(tmp_path / "static"),
        SECURE_SSL_REDIRECT="true",
    )
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                GUNICORN,
                "-c",
                "config/gunicorn_conf.py",
                "-w",
                "1",
                "--no-control-socket",
                "config.wsgi",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        # "/" redirects an HTTPS request to the marketplaces page; a plain one to https://.
        response = _get_with_forwarded_https(server, port, "/")
    finally:
        server.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    location = response.getheader("Location") or ""
    if believed:
        assert (response.status, location) == (302, reverse("integrations:marketplaces")), (
            log.read_text()
        )
    else:
        assert (response.status, location) == (301, "https://hub.example.com/"), log.read_text()
