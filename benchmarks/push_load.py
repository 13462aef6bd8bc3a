"""The ingest benchmark's load generator: its own processes, POSTing notifications to the hub.

``python -m benchmarks.push_load --url http://127.0.0.1:PORT --rate 1000 --seconds 20 --out f``.
Open loop: every thread sends at fixed moments (its share of ``--rate``), and a request's latency
is counted from the moment it was due, not from when it left, so a server that falls behind shows
its queue in the figures (no coordinated omission). ``--rate 0`` is a closed loop instead (as
fast as the server answers): the throughput ceiling.

Bodies (benchmarks/push_bodies.py): Mercado Livre ``orders_v2`` notices and Shopee code 3 pushes
signed with ``--partner-key``, each naming a distinct order, ``--duplicates`` of them sent again
byte for byte. Each process writes its figures and the orders whose notice got a 2xx.
"""

import argparse
import json
import multiprocessing
import random
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks import push_bodies
from benchmarks.keepalive import KeptAlive
from benchmarks.loopback_market import account_id

SHOPEE_FIRST_SHOP = 800_000_000


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the hub's base URL")
    parser.add_argument("--rate", type=float, default=1000.0, help="notifications/s; 0: closed")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16, help="per process")
    parser.add_argument("--shopee-share", type=float, default=0.3)
    parser.add_argument("--duplicates", type=float, default=0.1, help="share sent twice")
    parser.add_argument("--accounts", type=int, default=1000, help="per marketplace")
    parser.add_argument("--partner-key", default="", help="Shopee's, to sign its pushes")
    parser.add_argument("--first-order", type=int, default=3_000_000_000_000)
    parser.add_argument("--push-path", default="/push/{key}/")
    parser.add_argument("--bodies", help="a JSON file of [marketplace, order, body] to send")
    parser.add_argument("--out", required=True, help="a JSON file for the figures")
    return parser.parse_args(argv)


def _bodies(args, process: int, count: int) -> list[tuple[str, str, bytes]]:
    """(marketplace, order id, body) in sending order; duplicates repeat an earlier body."""
    if args.bodies:  # given: this process's share of them, in order
        given = json.loads(Path(args.bodies).read_text())[process :: args.processes]
        return [(market, order, body.encode()) for market, order, body in given][:count]
    rng = random.Random(process)
    sent: list[tuple[str, str, bytes]] = []
    serial = args.first_order + process * 10_000_000
    for _ in range(count):
        if sent and rng.random() < args.duplicates:
            sent.append(sent[rng.randrange(max(0, len(sent) - 200), len(sent))])
            continue
        serial += 1
        if rng.random() < args.shopee_share:
            shop = str(SHOPEE_FIRST_SHOP + rng.randrange(args.accounts))
            order = f"B{serial:015d}"
            sent.append(("shopee", order, push_bodies.shopee(shop, order)))
        else:
            user = account_id("mercadolivre", rng.randrange(args.accounts))
            sent.append(("mercadolivre", str(serial), push_bodies.mercadolivre(user, str(serial))))
    return sent


def _run_thread(args, bodies, start: float, interval: float, results: dict) -> None:
    target = urlsplit(args.url)
    connection = KeptAlive(target, timeout=30)
    latencies, statuses, acked = [], Counter(), []
    # A server that cannot keep up is not waited for past twice the run: the rest is not sent.
    give_up = start + 2 * args.seconds
    for n, (market, order, body) in enumerate(bodies):
        if time.perf_counter() > give_up:
            statuses["not sent (too far behind)"] += len(bodies) - n
            break
        due = start + n * interval
        if interval:
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
        else:
            due = time.perf_counter()
        path = args.push_path.format(key=market)
        headers = {"Content-Type": "application/json"}
        if market == "shopee":
            url = f"{target.scheme}://{target.netloc}{path}"
            headers["Authorization"] = push_bodies.shopee_signature(
                args.partner_key, url=url, body=body
            )
        status = connection.post(path, body, headers)
        latencies.append(time.perf_counter() - due)
        statuses[status] += 1
        if 200 <= status < 300:
            acked.append((market, order))
    results["latencies"].extend(latencies)
    results["statuses"].update(statuses)
    results["acked"].extend(acked)


def _run_process(args, process: int, start_at: float, out: str) -> None:
    threads = args.threads
    per_thread_rate = args.rate / (args.processes * threads) if args.rate else 0
    if args.rate:
        count = int(per_thread_rate * args.seconds)
    else:  # closed loop: as many as fit in the time
        count = int(3000 * args.seconds / (args.processes * threads)) + 1
    results = {"latencies": [], "statuses": Counter(), "acked": []}
    jobs = []
    bodies = _bodies(args, process, count * threads)
    while time.time() < start_at:
        time.sleep(0.001)
    start = time.perf_counter()
    interval = 1 / per_thread_rate if per_thread_rate else 0
    for t in range(threads):
        # Threads are offset within one interval so the process's sends are evenly spread.
        offset = start + (t / threads) * interval
        mine = bodies[t * count : (t + 1) * count]
        if not args.rate:
            mine = _until(mine, start + args.seconds)
        thread = threading.Thread(target=_run_thread, args=(args, mine, offset, interval, results))
        thread.start()
        jobs.append(thread)
    for thread in jobs:
        thread.join()
    elapsed = time.perf_counter() - start
    Path(out).write_text(
        json.dumps(
            {
                "elapsed": elapsed,
                "latencies": results["latencies"],
                "statuses": dict(results["statuses"]),
                "acked": results["acked"],
            }
        )
    )


class _until(list):
    """A closed loop's bodies: iterated only until the deadline."""

    def __init__(self, bodies, deadline: float) -> None:
        super().__init__(bodies)
        self.deadline = deadline

    def __iter__(self):
        for body in super().__iter__():
            if time.perf_counter() > self.deadline:
                return
            yield body


def main(argv=None) -> dict:
    args = parse_args(argv)
    start_at = time.time() + 1.0  # every process starts at once, bodies built
    outs = [f"{args.out}.{n}" for n in range(args.processes)]
    processes = [
        multiprocessing.Process(target=_run_process, args=(args, n, start_at, outs[n]))
        for n in range(args.processes)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    merged = {"elapsed": 0.0, "latencies": [], "statuses": Counter(), "acked": []}
    for out in outs:
        part = json.loads(Path(out).read_text())
        Path(out).unlink()
        merged["elapsed"] = max(merged["elapsed"], part["elapsed"])
        merged["latencies"] += part["latencies"]
        merged["statuses"].update(part["statuses"])
        merged["acked"] += part["acked"]
    Path(args.out).write_text(json.dumps(merged))
    return merged


if __name__ == "__main__":
    main()
