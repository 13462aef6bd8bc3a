"""Orders benchmarks (``make bench`` runs them after the keeper's): the import's rate against a
bare ``requests`` paging loop over the same pages from the same loopback endpoint, the SQL it
sends per page, and the Pedidos and Marketplaces pages with a million orders in the table."""

import argparse
import os
import statistics
import time
from datetime import timedelta

from benchmarks.harness import empty_bench_database


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Orders benchmarks")
    parser.add_argument("--orders", type=int, default=5000, help="orders the import reads")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="added per page")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1_000_000, help="orders in the table")
    parser.add_argument("--seller-rows", type=int, default=10_000, help="the viewed seller's")
    parser.add_argument("--requests", type=int, default=40, help="requests per page measured")
    parser.add_argument("--only", choices=["import", "pages"], action="append")
    return parser.parse_args()


def _integration(seller_name: str, external_id: str, marketplace: str = "mercadolivre"):
    from django.utils import timezone

    from hub.models import Seller
    from integrations.models import Integration
    from tests.factories import valid_cnpj

    seller = Seller.objects.create(
        name=seller_name, cnpj=valid_cnpj(abs(hash(seller_name)) % 10**12)
    )
    integration = Integration(
        seller=seller,
        marketplace=marketplace,
        external_id=external_id,
        account_name=seller_name.upper(),
        status=Integration.Status.ACTIVE,
        access_token_expires_at=timezone.now() + timedelta(hours=6),
        last_renewed_at=timezone.now(),
    )
    integration.set_tokens(access_token="bench-access", refresh_token="bench-refresh")
    integration.save()
    return integration


def bench_import(args) -> dict:
    import requests
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from benchmarks.orders_feed import orders, serve
    from integrations.orders.models import Order, OrderPulse
    from integrations.orders.services.importing import orders_import

    integration = _integration("Bench Orders", "555000001")
    feed = orders(args.orders, 555000001)
    server, url = serve(feed, args.latency_ms / 1000)
    hub, bare, statements = [], [], {}
    try:
        with override_settings(MERCADOLIVRE_API_URL=url):
            for _round in range(args.rounds):
                Order.objects.filter(integration=integration).delete()
                OrderPulse.objects.filter(pk=integration.pk).delete()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    result = orders_import(integration_id=integration.pk)
                    hub.append(time.perf_counter() - started)
                assert result.orders == len(feed), result
                upserts = sum(q["sql"].startswith('INSERT INTO "orders_order" ') for q in queries)
                statements = {
                    "pages": result.pages,
                    "upserts": upserts,
                    "others": len(queries.captured_queries) - upserts,
                }
                session = requests.Session()
                started = time.perf_counter()
                offset = 0
                while offset is not None:
                    page = session.get(
                        f"{url}/orders/search",
                        params={
                            "seller": "555000001",
                            "sort": "date_asc",
                            "offset": offset,
                            "limit": 50,
                        },
                        timeout=10,
                    ).json()
                    seen = offset + len(page["results"])
                    offset = seen if seen < page["paging"]["total"] else None
                bare.append(time.perf_counter() - started)
    finally:
        server.shutdown()
    return {
        "orders": len(feed),
        "hub_rate": [len(feed) / seconds for seconds in hub],
        "bare_rate": [len(feed) / seconds for seconds in bare],
        **statements,
    }


def bench_pages(args) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tests.factories import UserFactory

    viewed = _fill(args)
    user = UserFactory(username="bench-seller", membership__seller=viewed.seller)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    pages = {
        "Pedidos, page 1": (reverse("orders:list"), {}),
        "Pedidos, page 200": (reverse("orders:list"), {"pagina": 200}),
        "Pedidos, status filter": (reverse("orders:list"), {"status": "cancelled"}),
        "Pedidos, date range": (reverse("orders:list"), {"de": "2026-01-01", "ate": "2030-01-01"}),
        "Marketplaces": (reverse("integrations:marketplaces"), {}),
    }
    figures = {}
    for label, (url, query) in pages.items():
        times, counts = [], set()
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, query)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (label, response.status_code)
            counts.add(len(queries))
        times.sort()
        figures[label] = {
            "p50": statistics.median(times),
            "p95": times[int(len(times) * 0.95) - 1],
            "queries": sorted(counts),
        }
    with connection.cursor() as cursor:
        from integrations.orders.models import Order

        sql, params = (
            Order.objects.filter(seller=viewed.seller)
            .order_by("-created_at", "-id")[:25]
            .query.sql_with_params()
        )
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    return {"pages": figures, "plan": plan}


def _fill(args):
    """args.rows orders over many sellers, args.seller_rows of them the viewed seller's (COPY)."""
    from django.db import connection

    from integrations.orders.models import Order

    viewed = _integration("Bench Viewed Seller", "555000100")
    others = [_integration(f"Bench Seller {n}", f"5551{n:05d}", "magalu") for n in range(99)]
    per_other = (args.rows - args.seller_rows) // len(others)
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {Order._meta.db_table} ({', '.join(COPIED)}) FROM STDIN") as copy:
            for integration, count in [
                (viewed, args.seller_rows),
                *((o, per_other) for o in others),
            ]:
                for row in _rows(integration, count):
                    copy.write_row(row)
        cursor.execute(f"ANALYZE {Order._meta.db_table}")
    return viewed


COPIED = [
    "integration_id", "seller_id", "marketplace", "marketplace_order_id", "code", "status",
    "status_raw", "total", "currency", "created_at", "updated_at", "imported_at",
]  # fmt: skip
STATUSES = ["paid", "paid", "delivered", "shipped", "cancelled"]


def _rows(integration, count: int):
    from django.utils import timezone

    now = timezone.now()
    for n in range(count):
        created = now - timedelta(minutes=n * 3 + 1)
        status = STATUSES[n % len(STATUSES)]
        yield (
            integration.pk, integration.seller_id, integration.marketplace, f"b-{n}", f"{n}",
            status, status, 99.9, "BRL", created, created, now,
        )  # fmt: skip


def main() -> None:
    args = parse_args()
    only = set(args.only or ["import", "pages"])
    empty_bench_database()
    from django.core.management import call_command

    print(f"# Orders benchmark — {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f}")
    try:
        if "import" in only:
            figures = bench_import(args)
            ratios = [h / b for h, b in zip(figures["hub_rate"], figures["bare_rate"], strict=True)]
            print(
                f"\n## Import, {figures['orders']:,} orders, pages of 50, +{args.latency_ms:g} ms each"
            )
            print(
                "- hub import: " + ", ".join(f"{r:,.0f}" for r in figures["hub_rate"]) + " orders/s"
            )
            print(
                "- bare requests loop: "
                + ", ".join(f"{r:,.0f}" for r in figures["bare_rate"])
                + " orders/s"
            )
            print("- ratio hub/bare: " + ", ".join(f"{r:.2f}" for r in ratios) + " (target ≥ 0.9)")
            print(
                f"- SQL: {figures['upserts']} upserts for {figures['pages']} pages (one per page), "
                f"{figures['others']} other statements per run (the pulse, the token)"
            )
        if "pages" in only:
            figures = bench_pages(args)
            print(
                f"\n## Pages, {args.rows:,} orders in the table, {args.seller_rows:,} the seller's"
            )
            for label, f in figures["pages"].items():
                print(
                    f"- {label}: p50 {f['p50']:.1f} ms, p95 {f['p95']:.1f} ms, queries {f['queries']}"
                )
            print("- plan of the Pedidos page's query:")
            for line in figures["plan"]:
                print(f"    {line}")
    finally:
        call_command("flush", interactive=False, verbosity=0)


if __name__ == "__main__":
    main()
