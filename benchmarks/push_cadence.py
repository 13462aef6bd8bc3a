"""The audit cadence at scale: how long the orders sweep takes to pick the due integrations, and
in how many queries, with 100,000 Ativo integrations of which most belong to a marketplace whose
push is healthy (``python -m benchmarks.push_cadence``; a database named *bench*, emptied)."""

import argparse
import os
import time
from datetime import timedelta

from benchmarks.harness import empty_bench_database


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Push audit cadence benchmark")
    parser.add_argument("--integrations", type=int, default=100_000)
    parser.add_argument("--healthy-share", type=float, default=0.9, help="of a healthy push")
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


def seed(args) -> None:
    from django.utils import timezone

    from hub.models import Seller
    from integrations.models import Integration
    from integrations.orders.models import OrderPulse
    from integrations.push.models import Notification, PushGap

    now = timezone.now()
    seller = Seller.objects.create(name="Bench", cnpj="11222333000181")
    healthy = int(args.integrations * args.healthy_share)
    rows = [
        Integration(
            seller=seller,
            marketplace="mercadolivre" if i < healthy else "magalu",
            external_id=str(10_000_000 + i),
            account_name=f"CONTA {i}",
            status=Integration.Status.ACTIVE,
            access_token_expires_at=now + timedelta(hours=6),
            last_renewed_at=now,
        )
        for i in range(args.integrations)
    ]
    Integration.objects.bulk_create(rows, batch_size=5000)
    ids = list(Integration.objects.order_by("pk").values_list("pk", flat=True))
    # An import every few minutes over the last hour: about a tenth are due for their audit.
    OrderPulse.objects.bulk_create(
        [
            OrderPulse(integration_id=pk, last_import_at=now - timedelta(minutes=(pk * 7) % 66))
            for pk in ids
        ],
        batch_size=5000,
    )
    Notification.objects.bulk_create(
        [
            Notification(
                marketplace="mercadolivre",
                dedup_key=f"bench-{i}",
                topic="orders_v2",
                account_id=str(10_000_000 + i),
                resource_id=str(i),
                state=Notification.State.DONE,
                received_at=now - timedelta(seconds=i % 1800),
            )
            for i in range(20_000)
        ],
        batch_size=5000,
    )
    PushGap.objects.bulk_create(
        [
            PushGap(integration_id=pk, marketplace="mercadolivre", marketplace_order_id=str(pk))
            for pk in ids[:healthy:500]
        ]
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    args = parse_args()
    empty_bench_database()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from integrations import conf as keeper_conf
    from integrations.orders.services.cadence import integrations_due_for_import
    from integrations.selectors import integrations_active_ids

    print(f"# Push audit cadence — {os.cpu_count()} CPU(s), load {os.getloadavg()[0]:.2f}")
    seed(args)
    batch = keeper_conf.sweep_batch_size()
    for _ in range(args.rounds):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            due = sum(len(ids) for ids in integrations_due_for_import(batch_size=batch))
            elapsed = time.perf_counter() - started
        print(
            f"- {args.integrations:,} Ativo integrations ({args.healthy_share:.0%} of a healthy "
            f"push): {due:,} due, {elapsed * 1000:,.0f} ms, {len(queries)} queries "
            f"(batches of {batch})"
        )
        started = time.perf_counter()
        every = sum(len(ids) for ids in integrations_active_ids(batch_size=batch))
        elapsed = time.perf_counter() - started
        print(f"  before push, every Ativo one: {every:,} queued, {elapsed * 1000:,.0f} ms")
    call_command("flush", interactive=False, verbosity=0)


if __name__ == "__main__":
    main()
