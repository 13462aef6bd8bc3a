"""The benchmarks' moving parts: the loopback token endpoints, the Celery worker, the CPU each
process spends (Linux /proc) and the machine's description."""

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUEUE = "keeper-bench"


def start_loopback(latency_ms: float) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.loopback", "--latency-ms", str(latency_ms)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    port = process.stdout.readline().strip()
    return process, f"http://127.0.0.1:{port}"


def start_worker(args, token_url: str) -> tuple[subprocess.Popen, Path]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "MAGALU_TOKEN_URL": token_url,
        "CONN_MAX_AGE": str(args.conn_max_age),
        "LOG_LEVEL": args.log_level,
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--queues", QUEUE,
        "--pool", args.pool, "--concurrency", str(args.concurrency), "--loglevel", args.log_level,
        "--hostname", "bench@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    if args.prefetch:
        command += ["--prefetch-multiplier", str(args.prefetch)]
    log = ROOT / "var" / "bench" / "worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out), log


def wait_for_worker(app, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return
    raise SystemExit("the Celery worker did not answer a ping")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def loopback_stats(url: str) -> dict:
    import requests

    return requests.get(f"{url}/stats", timeout=5).json()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of the given processes so far (Linux /proc; 0 where unreadable)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def processes_named(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip().startswith(name):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def children_of(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_snapshot(worker_pid: int, loopback_pid: int) -> dict[str, float]:
    """CPU seconds so far of each party to a refresh, for the per-refresh CPU breakdown."""
    return {
        "worker main process": cpu_seconds([worker_pid]),
        "worker pool processes": cpu_seconds(children_of(worker_pid)),
        "PostgreSQL": cpu_seconds(processes_named("postgres")),
        "Redis": cpu_seconds(processes_named("redis-server")),
        "loopback endpoint": cpu_seconds([loopback_pid]),
        "bench process (sweep)": cpu_seconds([os.getpid()]),
    }


def wait_for(condition, *, timeout: float, interval: float = 0.2) -> bool:
    """True once ``condition()`` is; False when ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


def wait_until(condition, *, timeout: float, interval: float = 0.05) -> None:
    """``wait_for``, the run given up when the condition never comes."""
    if not wait_for(condition, timeout=timeout, interval=interval):
        raise SystemExit("timed out")


def machine() -> str:
    from django.db import connection

    from config.celery import app

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    with app.connection_for_write() as conn:
        redis_version = conn.default_channel.client.info()["redis_version"]
    return (
        f"{os.cpu_count()} CPU(s), Python {platform.python_version()}, "
        f"PostgreSQL {pg}, Redis {redis_version}"
    )


def migrated_bench_database() -> None:
    """Sets Django up on the benchmarks' settings and migrates their database; refuses anything
    but a PostgreSQL database named *bench*, whose tables the benchmarks empty."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("needs PostgreSQL and a database named *bench* (its tables are emptied)")
    call_command("migrate", verbosity=0)


def empty_bench_database() -> None:
    """The benchmarks' database, migrated (``migrated_bench_database``) and emptied."""
    from django.core.management import call_command

    migrated_bench_database()
    call_command("flush", interactive=False, verbosity=0)
