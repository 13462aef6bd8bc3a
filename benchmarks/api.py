"""API benchmarks (``make bench`` runs them last): ``GET /api/v1/orders`` with a million orders in
the table (one seller holding 100,000), and webhook deliveries per second to a local receiver."""

import argparse
import os
import random
import statistics
import time
from multiprocessing import Process

from benchmarks.harness import empty_bench_database

RECEIVER_PORT = 8850


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="API benchmarks")
    parser.add_argument("--rows", type=int, default=1_000_000, help="orders in the table")
    parser.add_argument("--seller-rows", type=int, default=100_000, help="the API key's seller's")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--deliveries", type=int, default=5000)
    parser.add_argument("--only", choices=["orders", "webhooks"], action="append")
    return parser.parse_args()


def _receiver() -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver behind a proxy

        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", RECEIVER_PORT), Handler).serve_forever()


def bench_orders(args) -> dict:
    from django.test import Client

    from api import cursor
    from api.models import Scope
    from api.services.keys import api_key_create
    from benchmarks.orders import _fill
    from integrations.orders.models import Order

    args.seller_rows = min(args.seller_rows, args.rows)
    viewed = _fill(args)
    _, key = api_key_create(seller=viewed.seller, name="bench", scopes=[Scope.ORDERS_READ])
    positions = list(
        Order.objects.filter(seller=viewed.seller).values_list("imported_at", "pk")[::97]
    )
    client = Client(HTTP_HOST="localhost")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    figures = {}
    for label, params in {
        "first page (100)": lambda: {"limit": 100},
        "a page at a random cursor (100)": lambda: {
            "limit": 100, "cursor": cursor.encode(*random.choice(positions))
        },
        "status=cancelled at a random cursor": lambda: {
            "limit": 100, "status": "cancelled", "cursor": cursor.encode(*random.choice(positions))
        },
    }.items():  # fmt: skip
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get("/api/v1/orders", params(), **auth)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:200]
        timings.sort()
        figures[label] = {
            "p50": statistics.median(timings),
            "p95": timings[int(len(timings) * 0.95) - 1],
        }
    return figures


def bench_webhooks(args) -> dict:
    from django.utils import timezone

    from api.models import WebhookDelivery
    from api.services.delivery import deliveries_send
    from api.services.endpoints import endpoint_create
    from api.services.outbox import message_id
    from hub.models import Seller
    from tests.factories import valid_cnpj

    seller = Seller.objects.create(name="Bench Webhooks", cnpj=valid_cnpj(987654321))
    endpoint, _ = endpoint_create(
        seller=seller, url=f"http://127.0.0.1:{RECEIVER_PORT}/hook", events=["order.created"]
    )
    now = timezone.now()
    payload = {"type": "order.created", "timestamp": "2026-01-01T00:00:00.000000Z",
               "data": {"id": 1, "status": "paid", "total": "99.90", "code": "1"}}  # fmt: skip
    fields = {"endpoint": endpoint, "seller": seller, "event_type": "order.created"}
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            message_id=message_id(), payload=payload, created_at=now, next_attempt_at=now, **fields
        )
        for _ in range(args.deliveries)
    )
    receiver = Process(target=_receiver, daemon=True)
    receiver.start()
    time.sleep(0.5)
    try:
        started = time.perf_counter()
        sent = deliveries_send(endpoint_ids=[endpoint.pk], budget_seconds=600)
        elapsed = time.perf_counter() - started
    finally:
        receiver.terminate()
        receiver.join()
    return {"sent": sent, "rate": sent / elapsed, "elapsed": elapsed}


def main() -> None:
    args = parse_args()
    only = set(args.only or ["orders", "webhooks"])
    os.environ.setdefault("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", "true")  # the local receiver
    os.environ.setdefault("API_SETTLE_SECONDS", "0")
    os.environ.setdefault("API_THROTTLE_PER_MINUTE", "1000000")
    empty_bench_database()
    from django.core.management import call_command

    print(f"# API benchmark — {os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f}")
    try:
        if "orders" in only:
            figures = bench_orders(args)
            print(f"\n## GET /api/v1/orders, {args.rows:,} orders, {args.seller_rows:,} the key's")
            for label, f in figures.items():
                print(f"- {label}: p50 {f['p50']:.1f} ms, p95 {f['p95']:.1f} ms (target ≤ 50)")
        if "webhooks" in only:
            figures = bench_webhooks(args)
            print(
                f"\n## Webhook delivery: {figures['sent']:,} signed POSTs in "
                f"{figures['elapsed']:.1f} s = {figures['rate']:,.0f}/s (target ≥ 500), one task"
            )
    finally:
        call_command("flush", interactive=False, verbosity=0)


if __name__ == "__main__":
    main()
