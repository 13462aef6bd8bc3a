"""A tiny loopback OAuth token endpoint with a fixed added latency, for the benchmarks.

Run as its own process (``python -m benchmarks.loopback --latency-ms 50``); it prints the port it
listens on. ``POST /oauth/token`` answers a refresh (RFC 6749 §6) after sleeping the latency and
rotates like ID Magalu: a refresh token works once; a reused one gets ``invalid_grant``. Tokens
starting with ``bench-seed-`` are accepted once each without having been issued here.
``GET /stats`` answers the counters as JSON; ``POST /reset`` zeroes them.

It is deliberately cheaper than the Django stand-in (no database, no JWT signing), so the figures
measure the hub's side, not the stand-in's.

For the push and fleet benchmarks it also plays Mercado Livre and Magalu under ``/mercadolivre/``
and ``/magalu/`` (point ``<PREFIX>_API_URL`` and ``<PREFIX>_TOKEN_URL`` there): token rotation,
order reads, the health check's call and ``/missed_feeds``, every call counted by kind
(``benchmarks/loopback_market.py``), and creates orders and pushes them to the hub
(``benchmarks/loopback_sender.py``). Its control endpoints: ``GET /fleet/stats``,
``GET /fleet/created``, ``GET /fleet/accounts``, ``POST /fleet/order`` and ``/fleet/orders`` (orders, not pushed),
``POST /fleet/start`` and ``/fleet/stop`` (the order traffic), ``POST /fleet/latency``.
"""

import argparse
import contextlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from benchmarks.loopback_market import MARKETS, Market
from benchmarks.loopback_sender import Sender


class TokenState:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.issued: set[str] = set()
        self.used: set[str] = set()
        self.ok = 0
        self.invalid_grant = 0

    def rotate(self, refresh_token: str) -> str | None:
        with self.lock:
            known = refresh_token in self.issued or refresh_token.startswith("bench-seed-")
            if not known or refresh_token in self.used:
                self.invalid_grant += 1
                return None
            self.used.add(refresh_token)
            self.issued.discard(refresh_token)
            new = f"bench-refresh-{secrets.token_hex(12)}"
            self.issued.add(new)
            self.ok += 1
            return new

    def stats(self) -> dict:
        with self.lock:
            return {"ok": self.ok, "invalid_grant": self.invalid_grant}

    def reset(self) -> None:
        with self.lock:
            self.ok = self.invalid_grant = 0


def make_handler(state: TokenState, latency: float):
    market = Market()
    sender = Sender(market)
    api_latency = [latency]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real token endpoint
        # Headers and body go out in two writes; with Nagle on, the body would wait for the
        # client's delayed ACK (~40 ms) on every kept-alive request.
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:  # quiet
            pass

        def _answer(self, status: int, body: object) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _market(self) -> tuple[str, str] | None:
            first, _, rest = self.path.lstrip("/").partition("/")
            return (first, "/" + rest) if first in MARKETS else None

        def do_GET(self) -> None:
            if routed := self._market():
                time.sleep(api_latency[0])
                self._answer(*market.api(*routed, self.headers.get("Authorization", "")))
            elif self.path == "/fleet/stats":
                self._answer(200, {**market.stats(), "sender": sender.stats()})
            elif self.path == "/fleet/created":
                self._answer(200, market.created())
            elif self.path == "/fleet/accounts":
                self._answer(200, market.accounts_with_orders())
            else:
                self._answer(200, state.stats())

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path.startswith("/fleet/"):
                self._answer(200, self._control(self.path, json.loads(raw or b"{}")))
                return
            form = parse_qs(raw.decode())
            if self.path == "/reset":
                state.reset()
                self._answer(200, {})
                return
            time.sleep(api_latency[0] if self._market() else latency)
            if routed := self._market():
                self._answer(*market.refresh(routed[0], form))
                return
            refresh_token = (form.get("refresh_token") or [""])[0]
            new = state.rotate(refresh_token)
            if new is None:
                self._answer(400, {"error": "invalid_grant", "error_description": "reused"})
                return
            self._answer(
                200,
                {
                    "access_token": f"bench-access-{secrets.token_hex(12)}",
                    "refresh_token": new,
                    "token_type": "Bearer",
                    "expires_in": 7200,
                    "scope": "open:order-order:read open:portfolio:read",
                    "created_at": int(time.time()),
                },
            )

        def _control(self, path: str, body: dict) -> object:
            if path == "/fleet/order":
                return market.create_order(body["market"], body["account"])
            if path == "/fleet/orders":  # many at once: [[market, account], ...]
                return [market.create_order(m, a)["id"] for m, a in body["orders"]]
            if path == "/fleet/start":
                sender.start(body)
                return {}
            if path == "/fleet/stop":
                sender.finish()
                return sender.stats()
            if path == "/fleet/latency":
                api_latency[0] = float(body["ms"]) / 1000
                return {}
            return {"error": "unknown"}

    return Handler


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # listen backlog: a burst of new connections must not be refused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    args = parser.parse_args()
    server = LoopbackServer(
        ("127.0.0.1", args.port), make_handler(TokenState(), args.latency_ms / 1000)
    )
    print(server.server_address[1], flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    main()
