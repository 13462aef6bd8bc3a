"""The push benchmarks' processes: gunicorn as production starts it, a draining Celery worker,
Celery beat, the loopback marketplaces, and the figures' arithmetic."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from benchmarks.harness import QUEUE, ROOT, children_of, cpu_seconds, processes_named, stop

LOGS = ROOT / "var" / "bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hub_env(**extra: str) -> dict:
    """The hub's environment for every process the benchmarks start (benchmarks.settings)."""
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", **extra}


def start_gunicorn(*, workers: int, env: dict) -> tuple[subprocess.Popen, str]:
    """``gunicorn -c config/gunicorn_conf.py config.wsgi:application`` (the Dockerfile's
    command), listening on a free loopback port; ``-w`` overrides the file's worker count."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    LOGS.mkdir(parents=True, exist_ok=True)
    log = (LOGS / "gunicorn.log").open("w")
    command = [
        sys.executable, "-m", "gunicorn", "-c", "config/gunicorn_conf.py", "-w", str(workers),
        "config.wsgi:application",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {LOGS / 'gunicorn.log'}")
        try:
            requests.get(f"{url}/healthz", timeout=5)
            return process, url
        except requests.RequestException:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer")


def start_celery(kind: str, *, env: dict, concurrency: int = 8, prefetch: int = 4):
    """A Celery worker on the benchmarks' queue (as docker-compose's: prefork, INFO) or beat."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = (LOGS / f"push-{kind}.log").open("a")
    if kind == "beat":
        schedule = LOGS / "celerybeat-schedule"
        schedule.unlink(missing_ok=True)
        command = [
            sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
            "--schedule", str(schedule),
        ]  # fmt: skip
    else:
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--queues", QUEUE,
            "--loglevel", "INFO", "--concurrency", str(concurrency),
            "--prefetch-multiplier", str(prefetch), "--hostname", f"{kind}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)


class HubProcesses:
    """gunicorn, a draining Celery worker and beat, with ``env``. ``with`` stops them all at the
    end: the worker running then, when the bench killed and replaced it."""

    def __init__(self, *, web_workers: int, env: dict):
        self.env = env
        self.server, self.url = start_gunicorn(workers=web_workers, env=env)
        self.worker = self.start_worker()
        self.beat = start_celery("beat", env=env)

    def start_worker(self) -> subprocess.Popen:
        return start_celery("worker", env={**self.env, "CONN_MAX_AGE": "60"})

    def __enter__(self) -> "HubProcesses":
        return self

    def __exit__(self, *exc_info) -> None:
        for process in (self.worker, self.beat, self.server):
            stop(process)


def kill_hard(process: subprocess.Popen) -> None:
    """``kill -9`` of a worker and its pool processes: nothing gets to clean up."""
    for pid in [process.pid, *children_of(process.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait()


def market_env(url: str) -> dict:
    """Mercado Livre and Magalu pointed at the loopback's marketplaces."""
    return {
        "MERCADOLIVRE_API_URL": f"{url}/mercadolivre",
        "MERCADOLIVRE_TOKEN_URL": f"{url}/mercadolivre/oauth/token",
        "MAGALU_API_URL": f"{url}/magalu",
        "MAGALU_TOKEN_URL": f"{url}/magalu/oauth/token",
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def postgres_cpu() -> float:
    """PostgreSQL's CPU seconds so far: its live processes, plus what the backends that already
    exited spent (the postmaster's reaped children: a connection per request leaves none alive
    at the second reading)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = processes_named("postgres")
    total = cpu_seconds(pids)
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) not in pids:  # the postmaster: its parent is not PostgreSQL
            total += (int(fields[13]) + int(fields[14])) / tick  # cutime, cstime
    return total


def party_cpu(pids) -> float:
    """A party's CPU seconds: ``pids()``'s, or PostgreSQL's (``None``) with its exited backends."""
    return postgres_cpu() if pids is None else cpu_seconds(pids())
