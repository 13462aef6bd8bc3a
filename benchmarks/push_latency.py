"""Push to Pedidos: from the moment a marketplace POSTs a notification to the moment its order
is on the seller's Pedidos page, with gunicorn, a real worker (as docker-compose runs it) and
beat, the loopback marketplaces answering the order fetch after their added latency."""

import http.client
import random
import threading
import time
from urllib.parse import urlsplit

import requests

from benchmarks import push_bodies
from benchmarks.loopback_market import account_id
from benchmarks.push_harness import HubProcesses, hub_env, market_env, percentile

POLL_SECONDS = 0.05
ACCOUNTS = 50  # per marketplace: one seller each


def bench_latency(args, loop_url: str) -> dict:
    from benchmarks import fleet_seed
    from integrations.orders.models import Order

    fleet_seed.reset()
    fleet_seed.seed({"mercadolivre": ACCOUNTS, "magalu": ACCOUNTS}, spread=False)
    env = hub_env(CONN_MAX_AGE=str(args.web_conn_max_age), LOG_LEVEL="INFO", **market_env(loop_url))
    posted: dict[str, float] = {}  # order id -> when its POST left
    acked: dict[str, float] = {}  # order id -> when its 2xx came back
    seen: dict[str, float] = {}
    sellers: dict[str, int] = {}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set() or len(seen) < len(acked):
            waiting = [o for o in posted if o not in seen]
            if waiting:
                rows = Order.objects.filter(marketplace_order_id__in=waiting).values_list(
                    "marketplace_order_id", "seller_id"
                )
                now = time.perf_counter()
                for order_id, seller_id in rows:
                    seen[order_id] = now
                    sellers[order_id] = seller_id
            if done.is_set() and time.perf_counter() - last[0] > 60:
                return  # the rest never came
            time.sleep(POLL_SECONDS)

    last = [time.perf_counter()]
    watcher = threading.Thread(target=watch)
    with HubProcesses(web_workers=args.web_workers, env=env) as hub:
        url = hub.url
        try:
            time.sleep(5)  # the worker's start
            _warm_up(url, loop_url)
            watcher.start()
            rng = random.Random(3)
            session = requests.Session()
            target = urlsplit(url)
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
            interval = 1 / args.push_rate
            started = time.perf_counter()
            for n in range(args.orders):
                pause = started + n * interval - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                market = ("mercadolivre", "magalu")[n % 2]
                account = account_id(market, rng.randrange(ACCOUNTS))
                order = session.post(
                    f"{loop_url}/fleet/order",
                    json={"market": market, "account": account},
                    timeout=10,
                ).json()["id"]
                body = push_bodies.BUILDERS[market](account, order)
                posted[order] = time.perf_counter()
                connection.request(
                    "POST", f"/push/{market}/", body=body, headers={"Host": target.netloc}
                )
                response = connection.getresponse()
                response.read()
                connection.close()
                if 200 <= response.status < 300:
                    acked[order] = time.perf_counter()
                last[0] = time.perf_counter()
            done.set()
            watcher.join()
            visible = _check_pages(sellers)
        finally:
            done.set()  # the watcher's end, even when the run failed
    delays = [seen[o] - posted[o] for o in seen]
    return {
        "orders": args.orders,
        "acked": len(acked),
        "seen": len(seen),
        "p50": percentile(delays, 50),
        "p95": percentile(delays, 95),
        "p99": percentile(delays, 99),
        "max": max(delays, default=float("nan")),
        "visible": visible,
    }


def _warm_up(url: str, loop_url: str) -> None:
    """One order of each marketplace through the whole path before the clock starts."""
    from integrations.orders.models import Order

    for market in ("mercadolivre", "magalu"):
        account = account_id(market, 0)
        order = requests.post(
            f"{loop_url}/fleet/order", json={"market": market, "account": account}, timeout=10
        ).json()["id"]
        requests.post(
            f"{url}/push/{market}/", data=push_bodies.BUILDERS[market](account, order), timeout=10
        )
        deadline = time.monotonic() + 30
        while not Order.objects.filter(marketplace_order_id=order).exists():
            if time.monotonic() > deadline:
                raise SystemExit("the warm-up order never arrived: see var/bench/push-worker.log")
            time.sleep(0.1)


def _check_pages(sellers: dict[str, int]) -> int:
    """How many of the orders seen are on their seller's Pedidos page (the page's selector,
    no filter, its first page)."""
    from hub.models import Seller
    from integrations.orders.selectors import OrderFilters, orders_for_seller
    from integrations.orders.views import PAGE_SIZE

    visible = 0
    by_seller: dict[int, set[str]] = {}
    for order_id, seller_id in sellers.items():
        by_seller.setdefault(seller_id, set()).add(order_id)
    for seller_id, orders in by_seller.items():
        page = orders_for_seller(seller=Seller(pk=seller_id), filters=OrderFilters())
        shown = set(page.values_list("marketplace_order_id", flat=True)[:PAGE_SIZE])
        visible += len(orders & shown)
    return visible


def report(args, figures: dict) -> None:
    print(
        f"\n## Push → Pedidos: {figures['orders']} orders at {args.push_rate:g}/s "
        f"(Mercado Livre and Magalu, {ACCOUNTS} accounts each), loopback +"
        f"{args.api_latency_ms:g} ms per call, worker prefork x 8 (prefetch 4), beat, "
        f"gunicorn -w {args.web_workers}"
    )
    print(
        f"- acknowledged {figures['acked']}, on the Pedidos page {figures['seen']} "
        f"(checked through the page's selector: {figures['visible']})"
    )
    print(
        f"- POST → order on the page: p50 {figures['p50'] * 1000:,.0f} ms, "
        f"p95 {figures['p95'] * 1000:,.0f} ms, p99 {figures['p99'] * 1000:,.0f} ms, "
        f"max {figures['max'] * 1000:,.0f} ms (polled every {POLL_SECONDS * 1000:.0f} ms; "
        f"target p95 ≤ 10 s)"
    )
