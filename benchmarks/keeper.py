"""The token keeper's measurements: one refresh in-process, the sweep through Redis and a real
worker, and the selection of what is due."""

import statistics
import time
import uuid
from datetime import timedelta

from benchmarks.harness import (
    cpu_snapshot,
    loopback_stats,
    start_worker,
    stop,
    wait_for_worker,
    wait_until,
)
from benchmarks.keeper_data import make_due, purge_queue, refresh_body, reset_tables, seller


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

    from config.celery import app
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
