"""A tiny loopback OAuth token endpoint with a fixed added latency, for the benchmarks.

Run as its own process (``python -m benchmarks.loopback --latency-ms 50``); it prints the port it
listens on. ``POST /oauth/token`` answers a refresh (RFC 6749 §6) after sleeping the latency and
rotates like ID Magalu: a refresh token works once; a reused one gets ``invalid_grant``. Tokens
starting with ``bench-seed-`` are accepted once each without having been issued here.
``GET /stats`` answers the counters as JSON; ``POST /reset`` zeroes them.

It is deliberately cheaper than the Django stand-in (no database, no JWT signing), so the figures
measure the hub's side, not the stand-in's.
"""

import argparse
import contextlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


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
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real token endpoint
        # Headers and body go out in two writes; with Nagle on, the body would wait for the
        # client's delayed ACK (~40 ms) on every kept-alive request.
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:  # quiet
            pass

        def _answer(self, status: int, body: dict) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            self._answer(200, state.stats())

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            if self.path == "/reset":
                state.reset()
                self._answer(200, {})
                return
            time.sleep(latency)
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
