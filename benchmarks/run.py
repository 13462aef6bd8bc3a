"""`make bench`: the token keeper's figures, printed (BENCHMARKS.md explains and records them).

Needs PostgreSQL (a database whose name contains "bench": its tables are emptied) and Redis.
Starts two loopback token endpoints (benchmarks/loopback.py: the configured latency, and 0 ms)
and one Celery worker process. Run it through ``scripts/run-bench.sh``.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUEUE = "keeper-bench"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Token keeper benchmarks")
    parser.add_argument("--n", type=int, default=2000, help="due integrations for the sweep")
    parser.add_argument("--concurrency", type=int, default=8, help="worker concurrency")
    parser.add_argument("--pool", default="prefork", choices=["prefork", "threads"])
    parser.add_argument("--latency-ms", type=float, default=50.0, help="added token latency")
    parser.add_argument("--serial", type=int, default=200, help="refreshes timed one by one")
    parser.add_argument("--rows", type=int, default=100_000, help="rows for the selection time")
    parser.add_argument(
        "--conn-max-age", type=int, default=60, help="the worker's CONN_MAX_AGE (seconds)"
    )
    parser.add_argument(
        "--prefetch",
        type=int,
        default=None,
        help="worker --prefetch-multiplier (default: settings)",
    )
    parser.add_argument(
        "--log-level",
        default="INFO",
        help="the worker's log level (default INFO, as in production); its log: var/bench/",
    )
    parser.add_argument(
        "--only", choices=["serial", "sweep", "selection"], action="append", help="run only these"
    )
    return parser.parse_args()


# --- Processes -----------------------------------------------------------------------------------


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
        sys.executable, "-m", "celery", "-A", "hub", "worker", "--queues", QUEUE,
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


# --- Data ----------------------------------------------------------------------------------------


def reset_tables() -> None:
    from django.db import connection

    from hub.models import Seller
    from integrations.models import Integration

    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {Integration._meta.db_table}, {Seller._meta.db_table} "
            "RESTART IDENTITY CASCADE"
        )


def seller():
    from hub.models import Seller

    return Seller.objects.create(name="Bench", cnpj=f"{uuid.uuid4().int % 10**14:014d}")


def make_due(count: int, *, due: bool = True, with_tokens: bool = True) -> list[int]:
    """count Ativo integrations; with tokens the loopback accepts once each."""
    from django.utils import timezone

    from integrations.models import Integration

    owner = seller()
    now = timezone.now()
    rows = []
    for n in range(count):
        integration = Integration(
            seller=owner,
            marketplace="magalu",
            external_id=str(uuid.uuid4()),
            account_name=f"Conta {n}",
            status=Integration.Status.ACTIVE,
            access_token_expires_at=now + timedelta(minutes=5 if due else 120),
            last_renewed_at=now - timedelta(hours=2),
        )
        if with_tokens:
            integration.set_tokens(
                access_token=f"bench-access-{uuid.uuid4().hex}",
                refresh_token=f"bench-seed-{uuid.uuid4().hex}",
            )
        rows.append(integration)
    created = Integration.objects.bulk_create(rows, batch_size=1000)
    return [integration.pk for integration in created]


def purge_queue(app) -> None:
    """Empties the bench queue and the keeper's dedup slots and in-flight markers."""
    from integrations.services.keeper_store import KEY_PREFIX, store

    with app.connection_for_write() as conn:
        conn.default_channel.client.delete(QUEUE)
    client = store._redis()
    keys = list(client.scan_iter(match=f"{KEY_PREFIX}*"))
    if keys:
        client.delete(*keys)


def refresh_body(refresh_token: str) -> dict:
    from django.conf import settings

    return {
        "grant_type": "refresh_token",
        "client_id": settings.MAGALU_CLIENT_ID,
        "client_secret": settings.MAGALU_CLIENT_SECRET,
        "refresh_token": refresh_token,
    }


# --- Measurements --------------------------------------------------------------------------------


def bench_serial(args, url: str, zero_url: str) -> dict:
    """One refresh in-process (our service) vs a bare requests.post, one at a time."""
    import requests
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from integrations.services.refresh import integration_refresh

    figures = {}
    for label, base in (("latency", url), ("zero", zero_url)):
        with override_settings(MAGALU_TOKEN_URL=f"{base}/oauth/token"):
            ids = make_due(args.serial + 5)
            for pk in ids[:5]:  # warm-up: connections, the provider's session
                integration_refresh(integration_id=pk)
            service = []
            for pk in ids[5:]:
                started = time.perf_counter()
                result = integration_refresh(integration_id=pk)
                service.append(time.perf_counter() - started)
                assert result.refreshed, result
            bare, session_bare = [], []
            session = requests.Session()
            for _ in range(args.serial):
                body = refresh_body(f"bench-seed-{uuid.uuid4().hex}")
                started = time.perf_counter()
                requests.post(f"{base}/oauth/token", data=body, timeout=10).raise_for_status()
                bare.append(time.perf_counter() - started)
                body = refresh_body(f"bench-seed-{uuid.uuid4().hex}")
                started = time.perf_counter()
                session.post(f"{base}/oauth/token", data=body, timeout=10).raise_for_status()
                session_bare.append(time.perf_counter() - started)
            (pk,) = make_due(1)
            with CaptureQueriesContext(connection) as queries:
                integration_refresh(integration_id=pk)
        figures[label] = {
            "service_ms": statistics.median(service) * 1000,
            "post_ms": statistics.median(bare) * 1000,
            "session_ms": statistics.median(session_bare) * 1000,
            "queries": len(queries),
            "sql": [q["sql"].split()[0] for q in queries.captured_queries],
        }
    return figures


def bench_sweep(args, url: str, loopback_pid: int) -> dict:
    """N due integrations refreshed by beat's sweep through Redis and one worker process."""
    from django.db.models import Max, Min
    from django.utils import timezone

    from hub.celery import app
    from integrations.models import Integration, IntegrationEvent
    from integrations.services.sweep import refresh_sweep

    reset_tables()
    purge_queue(app)
    worker, log = start_worker(args, f"{url}/oauth/token")
    try:
        wait_for_worker(app)
        # Warm-up: every pool child opens its connections before the clock starts.
        make_due(args.concurrency * 3)
        refresh_sweep()
        wait_until(lambda: not Integration.objects.filter(last_renewed_at__lt=timezone.now()
                   - timedelta(hours=1)).exists(), timeout=60)  # fmt: skip
        ids = make_due(args.n)
        requests_before = loopback_stats(url)
        cpu_before = cpu_snapshot(worker.pid, loopback_pid)
        started_at = timezone.now()
        started = time.perf_counter()
        enqueued = refresh_sweep()
        enqueue_s = time.perf_counter() - started
        # Polled gently (a cheap count, 4 times a second): the poll must not steal the CPU it
        # measures. The end time is the last refresh's own commit time, not the poll's.
        done = Integration.objects.filter(last_renewed_at__gte=started_at)
        wait_until(lambda: done.count() == args.n, timeout=600, interval=0.25)
        cpu_after = cpu_snapshot(worker.pid, loopback_pid)
    finally:
        stop(worker)
    stats = loopback_stats(url)
    first, last = (
        IntegrationEvent.objects.filter(integration__in=ids, kind=IntegrationEvent.Kind.REFRESHED)
        .aggregate(first=Min("created_at"), last=Max("created_at"))
        .values()
    )
    elapsed = (last - started_at).total_seconds()
    return {
        "steady_rate": (args.n - 1) / (last - first).total_seconds(),
        "log": log,
        "enqueued": enqueued,
        "enqueue_s": enqueue_s,
        "elapsed_s": elapsed,
        "rate": args.n / elapsed,
        "token_requests": stats["ok"] - requests_before["ok"],
        "invalid_grant": stats["invalid_grant"] - requests_before["invalid_grant"],
        "cpu_ms_per_refresh": {
            party: (cpu_after[party] - cpu_before[party]) * 1000 / args.n for party in cpu_after
        },
    }


def bench_bare_loop(args, url: str) -> dict:
    """The same number of refresh POSTs from as many threads as the worker's concurrency."""
    import threading

    import requests

    local = threading.local()

    def post(_n: int) -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        body = refresh_body(f"bench-seed-{uuid.uuid4().hex}")
        session.post(f"{url}/oauth/token", data=body, timeout=10).raise_for_status()

    with ThreadPoolExecutor(args.concurrency) as pool:
        list(pool.map(post, range(args.concurrency * 2)))  # warm-up: connections
        started = time.perf_counter()
        list(pool.map(post, range(args.n)))
        elapsed = time.perf_counter() - started
    return {"elapsed_s": elapsed, "rate": args.n / elapsed}


def bench_selection(args) -> dict:
    """The sweep's selection (every due id, in keyset batches) with --rows integrations."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from integrations import conf
    from integrations.models import Integration
    from integrations.selectors import integrations_due_for_refresh

    reset_tables()
    owner = seller()
    now = timezone.now()
    batch = []
    for n in range(args.rows):
        batch.append(
            Integration(
                seller=owner,
                marketplace="magalu",
                external_id=f"bench-{n}",
                account_name=f"Conta {n}",
                # 1 in 10 Token Expirado; 2 in 100 due (one of them expired); the rest later.
                status="expired" if n % 10 == 3 else "active",
                access_token_expires_at=now
                + timedelta(seconds=n % 600 if n % 50 in (0, 3) else 1200 + n % 6000),
            )
        )
        if len(batch) == 10_000:
            Integration.objects.bulk_create(batch)
            batch = []
    Integration.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Integration._meta.db_table}")

    def select() -> list[int]:
        return [
            pk
            for ids in integrations_due_for_refresh(
                window=conf.refresh_window(timedelta(hours=2)), batch_size=conf.sweep_batch_size()
            )
            for pk in ids
        ]

    select()  # warm the cache, as a sweep every minute does
    runs = []
    for _ in range(7):
        started = time.perf_counter()
        due = select()
        runs.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        select()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {queries.captured_queries[0]['sql']}")
        plan = [row[0] for row in cursor.fetchall()]
    return {
        "rows": args.rows,
        "due": len(due),
        "queries": len(queries),
        "median_ms": statistics.median(runs) * 1000,
        "plan": plan,
    }


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


def wait_until(condition, *, timeout: float, interval: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        time.sleep(interval)


# --- Report --------------------------------------------------------------------------------------


def machine() -> str:
    from django.db import connection

    from hub.celery import app

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    with app.connection_for_write() as conn:
        redis_version = conn.default_channel.client.info()["redis_version"]
    return (
        f"{os.cpu_count()} CPU(s), Python {platform.python_version()}, "
        f"PostgreSQL {pg}, Redis {redis_version}"
    )


def main() -> None:
    args = parse_args()
    only = set(args.only or ["serial", "sweep", "selection"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    sys.path.insert(0, str(ROOT))
    loop, url = start_loopback(args.latency_ms)
    zero, zero_url = start_loopback(0)
    os.environ["MAGALU_TOKEN_URL"] = f"{url}/oauth/token"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("needs PostgreSQL and a database named *bench* (its tables are emptied)")
    call_command("migrate", verbosity=0)
    reset_tables()
    latency = args.latency_ms / 1000
    print(f"# Token keeper benchmark — {machine()}")
    prefetch = args.prefetch or settings.CELERY_WORKER_PREFETCH_MULTIPLIER
    print(
        f"# N={args.n}, worker: {args.pool} x {args.concurrency}, prefetch {prefetch}, "
        f"latency {args.latency_ms:g} ms, CONN_MAX_AGE={args.conn_max_age}, "
        f"worker log level {args.log_level}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    try:
        if "serial" in only:
            serial = bench_serial(args, url, zero_url)
            print("\n## One refresh in-process (median of", args.serial, "runs)")
            for label, title in (("latency", f"+{args.latency_ms:g} ms"), ("zero", "+0 ms")):
                f = serial[label]
                print(
                    f"- endpoint {title}: service {f['service_ms']:.2f} ms, "
                    f"bare requests.post {f['post_ms']:.2f} ms "
                    f"(ratio {f['service_ms'] / f['post_ms']:.2f}x), "
                    f"bare session.post {f['session_ms']:.2f} ms "
                    f"(ratio {f['service_ms'] / f['session_ms']:.2f}x)"
                )
            f = serial["latency"]
            print(f"- SQL queries per refresh: {f['queries']} ({', '.join(f['sql'])})")
        if "sweep" in only:
            sweep = bench_sweep(args, url, loop.pid)
            bare = bench_bare_loop(args, url)
            ideal = args.concurrency / latency
            print(f"\n## Sweep throughput, N={args.n}")
            print(
                f"- sweep → Redis → worker: {sweep['rate']:.1f} refreshes/s "
                f"({sweep['elapsed_s']:.2f} s from the sweep's start to the last commit; "
                f"enqueueing took {sweep['enqueue_s']:.2f} s); "
                f"token requests {sweep['token_requests']}, invalid_grant {sweep['invalid_grant']}"
            )
            print(
                f"- steady state (first to last refresh): {sweep['steady_rate']:.1f}/s; "
                f"worker log: {sweep['log'].relative_to(ROOT)}"
            )
            cpu = sweep["cpu_ms_per_refresh"]
            total = sum(cpu.values())
            parts = ", ".join(f"{party} {ms:.2f} ms" for party, ms in cpu.items())
            print(
                f"- CPU per refresh: {total:.1f} ms in all (on {os.cpu_count()} CPUs, at most "
                f"{os.cpu_count() * 1000 / total:.0f}/s): {parts}"
            )
            print(f"- ideal (concurrency ÷ latency): {ideal:.1f}/s")
            print(f"- bare requests loop, {args.concurrency} threads: {bare['rate']:.1f}/s")
            print(
                f"- ratios: sweep/ideal {sweep['rate'] / ideal:.0%} "
                f"(steady {sweep['steady_rate'] / ideal:.0%}), "
                f"sweep/bare {sweep['rate'] / bare['rate']:.0%}, bare/ideal "
                f"{bare['rate'] / ideal:.0%}"
            )
        if "selection" in only:
            selection = bench_selection(args)
            print(f"\n## Selection with {selection['rows']:,} integrations")
            print(
                f"- {selection['due']} due ids in {selection['queries']} keyset queries: "
                f"median {selection['median_ms']:.1f} ms"
            )
            print("- plan of the first page:")
            for line in selection["plan"]:
                print(f"    {line}")
    finally:
        stop(loop)
        stop(zero)
        reset_tables()


if __name__ == "__main__":
    main()
