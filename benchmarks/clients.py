"""What a team would write instead of the keeper, measured against the same loopback endpoint:
a bare ``requests`` loop and Authlib's ``OAuth2Session.refresh_token`` loop, from as many threads
as the worker has processes, each thread with its own session (kept alive)."""

import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from benchmarks.keeper_data import refresh_body


def _timed(concurrency: int, count: int, refresh_once: Callable[[], None]) -> dict:
    """``count`` calls from ``concurrency`` threads, after a warm-up that opens connections."""
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda _: refresh_once(), range(concurrency * 2)))
        started = time.perf_counter()
        list(pool.map(lambda _: refresh_once(), range(count)))
        elapsed = time.perf_counter() - started
    return {"elapsed_s": elapsed, "rate": count / elapsed}


def bench_bare_loop(args, url: str) -> dict:
    """Refresh POSTs through one ``requests.Session`` per thread."""
    import requests

    local = threading.local()

    def refresh_once() -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        body = refresh_body(f"bench-seed-{uuid.uuid4().hex}")
        session.post(f"{url}/oauth/token", data=body, timeout=10).raise_for_status()

    return _timed(args.concurrency, args.n, refresh_once)


def bench_authlib_loop(args, url: str) -> dict:
    """Authlib's ``OAuth2Session.refresh_token`` (RFC 6749 §6), one session per thread, the
    client authenticated in the body as the hub does."""
    from authlib.integrations.requests_client import OAuth2Session

    from marketplaces import get_provider

    local = threading.local()

    def refresh_once() -> None:
        session = getattr(local, "session", None) or OAuth2Session(
            get_provider("magalu").config.client_id,
            get_provider("magalu").config.client_secret,
            token_endpoint_auth_method="client_secret_post",
        )
        local.session = session
        token = session.refresh_token(
            f"{url}/oauth/token", refresh_token=f"bench-seed-{uuid.uuid4().hex}", timeout=10
        )
        assert token.get("access_token"), token

    return _timed(args.concurrency, args.n, refresh_once)
