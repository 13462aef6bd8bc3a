"""The fleet: many integrations on the loopback marketplaces, run in real time by the hub's own
processes (gunicorn, a Celery worker, Celery beat with the hub's schedule) while the loopback
creates orders at random accounts and pushes them, some never sent.

Nothing is compressed: the minutes measured are real minutes at the real rates (tokens of their
real lifetimes, due from the first minute at the steady rate; audits due at the steady rate), and
the per-account-hour figures are the run's counts divided by accounts times hours measured.
"""

import os
import time

import requests

from benchmarks.harness import QUEUE, children_of, processes_named, wait_for
from benchmarks.push_harness import HubProcesses, hub_env, market_env, party_cpu

SAMPLE_SECONDS = 30


def _parties(server, worker, beat, loop_pid: int) -> dict:
    return {
        "gunicorn": lambda: [server.pid, *children_of(server.pid)],
        "Celery worker": lambda: [worker.pid, *children_of(worker.pid)],
        "Celery beat": lambda: [beat.pid],
        "PostgreSQL": None,
        "Redis": lambda: processes_named("redis-server"),
        "loopback marketplaces": lambda: [loop_pid],
    }


def _queue_length() -> int:
    from config.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen(QUEUE)


def _sample(loop_url: str, started: float) -> dict:
    from django.db.models import Q
    from django.utils import timezone

    from integrations.due import window_of
    from integrations.models import Integration
    from integrations.push.models import Notification

    stats = requests.get(f"{loop_url}/fleet/stats", timeout=30).json()
    now = timezone.now()
    due = Q()
    for market in ("mercadolivre", "magalu"):
        due |= Q(marketplace=market, access_token_expires_at__lte=now + window_of(market))
    return {
        # Due for renewal and not renewed yet: a few in a steady state, growing when the keeper
        # falls behind (a token is late only once this has lasted its whole window).
        "due_unrenewed": Integration.objects.filter(due, status="active").count(),
        "t": time.monotonic() - started,
        "queue": _queue_length(),
        "pending": Notification.objects.filter(state="pending").count(),
        "expired_unrenewed": Integration.objects.filter(
            status="active", access_token_expires_at__lt=timezone.now()
        ).count(),
        "calls": stats["calls"],
        "sender": stats["sender"],
        "refresh_left_min_s": stats["refresh_left_min_s"],
        "refreshes": stats["refreshes"],
    }


def bench_fleet(args, loop_url: str, loop_pid: int) -> dict:
    from benchmarks import fleet_seed

    fleet_seed.reset()
    half = args.accounts // 2
    accounts = {"mercadolivre": half, "magalu": args.accounts - half}
    fleet_seed.seed(accounts, spread=True)
    extra = {"PUSH_REDUCE_POLLING": "false"} if args.no_push else {}
    env = hub_env(
        CONN_MAX_AGE=str(args.web_conn_max_age),
        LOG_LEVEL="INFO",
        BENCH_SWEEP_JITTER_SECONDS="10",  # production's spread of the refreshes
        **market_env(loop_url),
        **extra,
    )
    samples = []
    with HubProcesses(web_workers=args.web_workers, env=env) as hub:
        parties = _parties(hub.server, hub.worker, hub.beat, loop_pid)
        url = hub.url
        time.sleep(5)
        requests.post(
            f"{loop_url}/fleet/start",
            json={
                "hub": url,
                "push_path": "/push/{key}/",
                "accounts": accounts,
                "per_account_hour": args.per_account_hour,
                "loss": 1.0 if args.no_push else args.loss,
                "keep_missed": not args.no_push,
                "seconds": args.minutes * 60,
                "senders": 4,
            },
            timeout=10,
        )
        started = time.monotonic()
        cpu_before = {name: party_cpu(pids) for name, pids in parties.items()}
        first = _sample(loop_url, started)
        samples.append(first)
        while time.monotonic() - started < args.minutes * 60:
            time.sleep(min(SAMPLE_SECONDS, args.minutes * 60 - (time.monotonic() - started)))
            samples.append(_sample(loop_url, started))
            _print_sample(samples[-1])
        window = time.monotonic() - started
        cpu = {name: party_cpu(pids) - cpu_before[name] for name, pids in parties.items()}
        last = samples[-1]
        sent = requests.post(f"{loop_url}/fleet/stop", json={}, timeout=60).json()
        from integrations.push.models import Notification

        wait_for(lambda: not Notification.objects.filter(state="pending").exists(), timeout=300)
        final = _final_audit(loop_url)
    return {
        "accounts": accounts,
        "window_s": window,
        "first": first,
        "last": last,
        "samples": samples,
        "cpu": cpu,
        "sent": sent,
        "final": final,
        "arrival": _arrival_delays(),
    }


def _print_sample(sample: dict) -> None:
    calls = sample["calls"]
    print(
        f"    t={sample['t']:5.0f} s  queue {sample['queue']:5d}  pending {sample['pending']:5d}  "
        f"created {calls.get('created.mercadolivre', 0) + calls.get('created.magalu', 0):6d}  "
        f"acked {sample['sender']['acked']:6d}  refreshes "
        f"{calls.get('token.mercadolivre', 0) + calls.get('token.magalu', 0):5d}  "
        f"late {calls.get('refresh_late', 0)}  lists "
        f"{calls.get('list.mercadolivre', 0) + calls.get('list.magalu', 0):6d}  "
        f"due unrenewed {sample['due_unrenewed']}  expired unrenewed {sample['expired_unrenewed']}",
        flush=True,
    )


def _final_audit(loop_url: str) -> dict:
    """Every account the loopback created orders for, read once more by the hub's own import
    (queued to the worker as the sweep queues it), the loopback answering at once: then the
    orders in the hub against the orders created."""
    from django.utils import timezone

    from config.celery import app
    from integrations.models import Integration
    from integrations.orders import conf as orders_conf
    from integrations.orders.models import Order, OrderPulse

    requests.post(f"{loop_url}/fleet/latency", json={"ms": 0}, timeout=10)
    with_orders = requests.get(f"{loop_url}/fleet/accounts", timeout=60).json()
    ids = []
    for market, accounts in with_orders.items():
        ids += list(
            Integration.objects.filter(marketplace=market, external_id__in=accounts).values_list(
                "pk", flat=True
            )
        )
    began = timezone.now()
    started = time.monotonic()
    for integration_id in ids:
        app.send_task(orders_conf.IMPORT_TASK, args=[integration_id], queue=QUEUE)
    wait_for(
        lambda: (
            OrderPulse.objects.filter(integration_id__in=ids, last_import_at__gte=began).count()
            >= len(ids)
        ),
        timeout=900,
        interval=2,
    )
    audited = OrderPulse.objects.filter(integration_id__in=ids, last_import_at__gte=began).count()
    created = requests.get(f"{loop_url}/fleet/created", timeout=60).json()
    result = {"accounts": len(ids), "audited": audited, "seconds": time.monotonic() - started}
    for market, order_ids in created.items():
        in_hub = set(
            Order.objects.filter(marketplace=market).values_list("marketplace_order_id", flat=True)
        )
        result[market] = {
            "created": len(order_ids),
            "in_hub": len(in_hub),
            "missing": len(set(order_ids) - in_hub),
        }
    return result


def _arrival_delays() -> dict:
    """How each order first arrived, and how long after the marketplace created it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT arrived_via, count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM arrived_at - created_at)),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM arrived_at - created_at))
            FROM orders_order GROUP BY arrived_via ORDER BY 2 DESC
            """
        )
        return {via: (n, p50, p95) for via, n, p50, p95 in cursor.fetchall()}


KINDS = {
    "order fetches (push, missed feeds)": ("order.",),
    "order lists (audits, imports)": ("list.",),
    "missed feeds": ("missed_feeds.",),
    "token refreshes": ("token.",),
    "health checks": ("health.",),
}


def report(args, figures: dict) -> None:
    accounts = sum(figures["accounts"].values())
    hours = figures["window_s"] / 3600
    first, last = figures["first"]["calls"], figures["last"]["calls"]

    def delta(prefixes: tuple[str, ...]) -> int:
        return sum(last.get(k, 0) - first.get(k, 0) for k in last if k.startswith(prefixes))

    print(
        f"\n## Fleet: {accounts:,} integrations ({figures['accounts']}), "
        f"{args.per_account_hour:g} order per account-hour, {args.loss:.0%} of pushes lost, "
        f"{'push disabled (polling only)' if args.no_push else 'push + audit'}, "
        f"{figures['window_s'] / 60:.1f} real minutes; loopback +{args.api_latency_ms:g} ms a call"
    )
    per_hour = {label: delta(p) / accounts / hours for label, p in KINDS.items()}
    total = sum(per_hour.values())
    print("- marketplace calls per account-hour, measured:")
    for label, value in per_hour.items():
        print(f"    {label}: {value:.3f}")
    polling = 3600 / 300 + per_hour["token refreshes"] + per_hour["health checks"]
    print(
        f"    in all: {total:.3f}  (polling only at 5 min, computed from the same run: 12 lists "
        f"+ the same refreshes and health checks = {polling:.3f}; ratio {polling / total:.1f}x)"
    )
    calls = last
    print(
        f"- refreshes late (after their access token expired): {calls.get('refresh_late', 0)} "
        f"(target 0); least time left at a refresh: "
        f"{_minutes(figures['last'])}; Ativo with an expired token at a sample: "
        f"max {max(s['expired_unrenewed'] for s in figures['samples'])}; "
        f"401 for an expired access token: {calls.get('expired_access_token', 0)}, "
        f"invalid_grant: {calls.get('invalid_grant', 0)}"
    )
    print(
        f"- due for renewal and not renewed, at the last sample: {figures['last']['due_unrenewed']:,}"
        f" (at most {max(s['due_unrenewed'] for s in figures['samples']):,}); renewals done in "
        f"the window: {figures['last']['refreshes'] - figures['first']['refreshes']:,}"
    )
    sent = figures["sent"]
    print(
        f"- pushes: {sent['acked']:,} acknowledged, {sent['lost']:,} lost on purpose, "
        f"{sent['refused']} refused, {sent['failed']} failed; POST p50 "
        f"{sent['push_p50_ms'] or 0:.1f} ms, p99 {sent['push_p99_ms'] or 0:.1f} ms"
    )
    for via, (n, p50, p95) in figures["arrival"].items():
        print(
            f"    arrived via {via}: {n:,} orders, created → stored p50 {p50:.1f} s, p95 {p95:.1f} s"
        )
    final = figures["final"]
    print(
        f"- final audit: {final['audited']:,} of {final['accounts']:,} accounts with orders read "
        f"again in {final['seconds']:.0f} s (loopback at +0 ms); orders in the hub vs created:"
    )
    for market in ("mercadolivre", "magalu"):
        f = final[market]
        print(
            f"    {market}: created {f['created']:,}, in the hub {f['in_hub']:,}, "
            f"missing {f['missing']}"
        )
    window = figures["window_s"]
    print(f"- CPU over the window, in cores (of {os.cpu_count()}):")
    for party, seconds in sorted(figures["cpu"].items(), key=lambda p: -p[1]):
        print(f"    {party}: {seconds / window:.2f}")
    peak = max(figures["samples"], key=lambda s: s["queue"])
    print(
        f"- the worker's queue at its longest: {peak['queue']} tasks (t={peak['t']:.0f} s); "
        f"pending notifications at most {max(s['pending'] for s in figures['samples'])}"
    )


def _minutes(sample: dict) -> str:
    left = sample["refresh_left_min_s"]
    return "none yet" if left is None else f"{left / 60:.1f} min"
