"""Push ingest: ``POST /push/<key>/`` through gunicorn as production runs it, loaded by a
separate process (benchmarks/push_load.py); and durability: a draining worker killed with
``kill -9`` in the middle of a burst, then every acknowledged notification counted in the table
and followed to its order."""

import json
import subprocess
import sys
import threading
import time

from benchmarks import push_bodies
from benchmarks.harness import ROOT, children_of, processes_named, stop, wait_for
from benchmarks.push_harness import (
    LOGS,
    HubProcesses,
    hub_env,
    kill_hard,
    market_env,
    party_cpu,
    percentile,
    start_gunicorn,
)


def ingest_env(args, **extra) -> dict:
    return hub_env(
        CONN_MAX_AGE=str(args.web_conn_max_age),
        LOG_LEVEL="INFO",  # production's: one line per notification
        **extra,
    )


def load(url: str, *, rate: float, seconds: float, args, bodies: str | None = None) -> dict:
    out = LOGS / "push-load.json"
    command = [
        sys.executable, "-m", "benchmarks.push_load", "--url", url, "--rate", str(rate),
        "--seconds", str(seconds), "--processes", str(args.load_processes),
        "--threads", str(args.load_threads), "--partner-key", partner_key(), "--out", str(out),
    ]  # fmt: skip
    if bodies:
        command += ["--bodies", bodies]
    subprocess.run(command, cwd=ROOT, check=True)
    return json.loads(out.read_text())


def partner_key() -> str:
    from marketplaces import get_provider

    return get_provider("shopee").config.client_secret


def summary(result: dict) -> dict:
    latencies = [s * 1000 for s in result["latencies"]]
    sent = len(latencies)  # answered or failed; those never sent are in the statuses
    return {
        "sent": sent,
        "rate": sent / result["elapsed"],
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "max": max(latencies, default=float("nan")),
        "statuses": result["statuses"],
        "acked": {tuple(a) for a in result["acked"]},
    }


def rows_for(acked: set[tuple[str, str]]) -> tuple[int, int]:
    """(rows in the table, acknowledged notifications without a row)."""
    from integrations.push.models import Notification

    kept = set(Notification.objects.values_list("marketplace", "resource_id"))
    return len(kept), len(acked - kept)


def bench_ingest(args) -> dict:
    from benchmarks import fleet_seed

    fleet_seed.reset()
    server, url = start_gunicorn(workers=args.web_workers, env=ingest_env(args))
    parties = {
        "gunicorn": lambda: [server.pid, *children_of(server.pid)],
        "PostgreSQL": None,
        "Redis": lambda: processes_named("redis-server"),
    }
    try:
        load(url, rate=200, seconds=2, args=args)  # warm-up: imports, connections
        fleet_seed.reset()
        ceiling = summary(load(url, rate=0, seconds=args.seconds / 2, args=args))
        fleet_seed.reset()
        before = {name: party_cpu(pids) for name, pids in parties.items()}
        paced = summary(load(url, rate=args.rate, seconds=args.seconds, args=args))
        cpu = {
            name: (party_cpu(pids) - before[name]) * 1000 / max(1, paced["sent"])
            for name, pids in parties.items()
        }
        rows, missing = rows_for(paced["acked"])
    finally:
        stop(server)
    return {"ceiling": ceiling, "paced": paced, "rows": rows, "missing": missing, "cpu": cpu}


def durability_bodies(count: int, loop_url: str, accounts: int) -> str:
    """``count`` orders created at the loopback's marketplaces (half each), their notices in a
    file for the load generator, one in ten sent twice."""
    import random

    import requests

    from benchmarks.loopback_market import account_id

    rng = random.Random(7)
    wanted = []
    for n in range(count):
        market = ("mercadolivre", "magalu")[n % 2]
        wanted.append((market, account_id(market, rng.randrange(accounts))))
    ids = requests.post(f"{loop_url}/fleet/orders", json={"orders": wanted}, timeout=60).json()
    bodies = []
    for (market, account), order in zip(wanted, ids, strict=True):
        body = push_bodies.BUILDERS[market](account, order).decode()
        bodies.append([market, order, body])
        if rng.random() < 0.1:
            bodies.append([market, order, body])
    path = LOGS / "push-durability-bodies.json"
    path.write_text(json.dumps(bodies))
    return str(path)


def bench_durability(args, loop_url: str) -> dict:
    """A burst at ``--rate`` for ``--seconds``; the worker killed a third of the way in and
    started again at two thirds; then the wait until nothing is left pending."""
    from django.db.models import Count

    from benchmarks import fleet_seed
    from integrations.orders.models import Order
    from integrations.push.models import Notification

    fleet_seed.reset()
    accounts = 500
    fleet_seed.seed({"mercadolivre": accounts, "magalu": accounts}, spread=False)
    count = int(args.rate * args.seconds / 1.1)
    bodies = durability_bodies(count, loop_url, accounts)
    # A killed worker's claims come back after the lease: 20 s here instead of 120 s, so the
    # run shows the recovery without waiting two minutes; beat's drain is the safety net.
    env = ingest_env(args, PUSH_CLAIM_LEASE_SECONDS="20", **market_env(loop_url))
    killed_with: dict = {}
    with HubProcesses(web_workers=args.web_workers, env=env) as hub:
        url = hub.url
        time.sleep(5)  # the worker's start
        result: dict = {}

        def send() -> None:
            result.update(load(url, rate=args.rate, seconds=args.seconds, args=args, bodies=bodies))

        sending = threading.Thread(target=send)
        started = time.monotonic()
        sending.start()
        time.sleep(args.seconds / 3)
        # Killed while it holds claims, when it has any within a few seconds.
        wait_for(
            lambda: Notification.objects.filter(
                claimed_until__isnull=False, state="pending"
            ).exists(),
            timeout=5,
            interval=0.05,
        )
        killed_with = {
            "pending": Notification.objects.filter(state="pending").count(),
            "claimed": Notification.objects.filter(
                claimed_until__isnull=False, state="pending"
            ).count(),
            "at_s": time.monotonic() - started,
        }
        kill_hard(hub.worker)
        time.sleep(args.seconds / 3)
        hub.worker = hub.start_worker()
        sending.join()
        sent_done = time.monotonic()
        settled = wait_for(
            lambda: not Notification.objects.filter(state="pending").exists(), timeout=180
        )
        drained_after = time.monotonic() - sent_done
        paced = summary(result)
        rows, missing = rows_for(paced["acked"])
        states = dict(Notification.objects.order_by().values_list("state").annotate(n=Count("id")))
        orders = Order.objects.count()
        distinct_orders = len(paced["acked"])
    return {
        "paced": paced,
        "rows": rows,
        "missing": missing,
        "killed_with": killed_with,
        "settled": settled,
        "drained_after_s": drained_after,
        "states": states,
        "orders": orders,
        "distinct_orders": distinct_orders,
    }
