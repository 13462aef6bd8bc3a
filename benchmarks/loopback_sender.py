"""The loopback marketplaces' order traffic for the fleet benchmark: orders created at random
accounts at a steady rate (a Poisson process), each announced to the hub's push endpoint as
its marketplace would, a configured share never sent (lost).

A lost Mercado Livre notice is kept for ``/missed_feeds``, as Mercado Livre keeps the
notifications it could not deliver; a lost Magalu one is gone (only the audit can find it).
"""

import json
import queue
import random
import threading
import time
from urllib.parse import urlsplit

from benchmarks import push_bodies
from benchmarks.keepalive import KeptAlive
from benchmarks.loopback_market import MARKETS, Market, account_id


class Sender:
    def __init__(self, market: Market) -> None:
        self.market = market
        self.queue: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        self.lock = threading.Lock()
        self.acked = self.refused = self.failed = self.lost = 0
        self.latencies: list[float] = []
        self.keep_missed = True

    def start(self, config: dict) -> None:
        """config: hub (base URL), push_path ("/push/{key}/"), accounts {market: count},
        per_account_hour, loss, senders, seed, seconds (0: until /fleet/stop), keep_missed."""
        self.stop.clear()
        # Polling only: nothing was ever sent, so Mercado Livre has nothing to keep either.
        self.keep_missed = bool(config.get("keep_missed", True))
        rng = random.Random(config.get("seed", 1))
        target = urlsplit(config["hub"])
        for n in range(int(config.get("senders", 4))):
            thread = threading.Thread(
                target=self._send, args=(target, config["push_path"]), name=f"push-{n}"
            )
            thread.daemon = True
            thread.start()
            self.threads.append(thread)
        generator = threading.Thread(target=self._generate, args=(config, rng), daemon=True)
        generator.start()
        self.threads.append(generator)

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)
        self.threads = []

    def _generate(self, config: dict, rng: random.Random) -> None:
        accounts = {m: int(config["accounts"].get(m, 0)) for m in MARKETS}
        total = sum(accounts.values())
        rate = total * float(config["per_account_hour"]) / 3600
        loss = float(config.get("loss", 0.0))
        ends = time.monotonic() + float(config.get("seconds") or 1e12)
        markets = [m for m in MARKETS if accounts[m]]
        weights = [accounts[m] for m in markets]
        due = time.monotonic()
        while not self.stop.is_set() and due < ends:
            due += rng.expovariate(rate)
            pause = due - time.monotonic()
            if pause > 0:
                self.stop.wait(pause)
            market = rng.choices(markets, weights)[0]
            account = account_id(market, rng.randrange(accounts[market]))
            order = self.market.create_order(market, account)
            body = push_bodies.BUILDERS[market](account, order["id"])
            if rng.random() < loss:
                with self.lock:
                    self.lost += 1
                self._missed(market, body)
                continue
            self.queue.put((market, body))

    def _missed(self, market: str, body: bytes) -> None:
        if market == "mercadolivre" and self.keep_missed:
            self.market.add_missed(json.loads(body))

    def _send(self, target, path: str) -> None:
        connection = KeptAlive(target, timeout=10)
        while not (self.stop.is_set() and self.queue.empty()):
            try:
                market, body = self.queue.get(timeout=0.2)
            except queue.Empty:
                continue
            started = time.perf_counter()
            status = connection.post(
                path.format(key=market), body, {"Content-Type": "application/json"}
            )
            with self.lock:
                self.latencies.append(time.perf_counter() - started)
                if 200 <= status < 300:
                    self.acked += 1
                elif status:
                    self.refused += 1
                else:
                    self.failed += 1
            if not 200 <= status < 300:
                self._missed(market, body)

    def stats(self) -> dict:
        with self.lock:
            latencies = sorted(self.latencies)
            return {
                "acked": self.acked,
                "refused": self.refused,
                "failed": self.failed,
                "lost": self.lost,
                "queued": self.queue.qsize(),
                "push_p50_ms": latencies[len(latencies) // 2] * 1000 if latencies else None,
                "push_p99_ms": latencies[int(len(latencies) * 0.99)] * 1000 if latencies else None,
            }
