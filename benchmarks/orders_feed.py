"""A loopback order feed with a fixed added latency, shaped like Mercado Livre's /orders/search.

Served from a thread of the benchmark process (``serve``): it answers precomputed pages of
``limit`` orders at ``offset`` after sleeping the latency, so the import and a bare requests loop
read exactly the same bytes from the same endpoint.
"""

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

STATUSES = ("paid", "paid", "paid", "confirmed", "cancelled")


def orders(count: int, seller: int) -> list[dict]:
    start = datetime.now(UTC) - timedelta(days=29)
    step = timedelta(days=28) / max(1, count)
    return [
        {
            "id": 3000000000000 + n,
            "status": STATUSES[n % len(STATUSES)],
            "date_created": (start + n * step).isoformat(timespec="seconds"),
            "date_last_updated": (start + n * step + timedelta(minutes=2)).isoformat(
                timespec="seconds"
            ),
            "total_amount": 19.9 + (n % 500),
            "currency_id": "BRL",
            "seller": {"id": seller},
            "buyer": {"id": 900000000 + n, "nickname": f"COMPRADOR{n}"},
        }
        for n in range(count)
    ]


def serve(feed: list[dict], latency: float) -> tuple[ThreadingHTTPServer, str]:
    """Starts the feed on a free loopback port; returns the server and its base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            offset = int(query.get("offset", ["0"])[0])
            limit = min(50, int(query.get("limit", ["50"])[0]))
            time.sleep(latency)
            raw = json.dumps(
                {
                    "results": feed[offset : offset + limit],
                    "paging": {"total": len(feed), "offset": offset, "limit": limit},
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"
