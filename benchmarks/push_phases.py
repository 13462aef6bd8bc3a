"""Where one notification's time goes, phase by phase, in the bench process (no socket): the
endpoint's own steps timed one at a time, beside the whole request through Django's handler."""

import statistics
import time


def _median_us(step, runs: int) -> float:
    times = []
    for n in range(runs):
        started = time.perf_counter()
        step(n)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6


def bench_phases(runs: int = 2000) -> dict[str, float]:
    from django.db import connection
    from django.test import Client

    from benchmarks import fleet_seed, push_bodies
    from integrations.push.services.intake import notification_keep
    from integrations.push.services.pace import retry_after
    from marketplaces import get_provider

    fleet_seed.reset()
    ml = get_provider("mercadolivre").push_parser(get_provider("mercadolivre"))
    shopee = get_provider("shopee").push_parser(get_provider("shopee"))
    key = get_provider("shopee").config.client_secret
    url = "http://127.0.0.1/push/shopee/"
    client = Client(HTTP_HOST="127.0.0.1")

    def ml_body(n: int) -> bytes:
        return push_bodies.mercadolivre("700000001", str(4_000_000_000_000 + n))

    shopee_bodies = [push_bodies.shopee("800000001", f"C{n:015d}") for n in range(runs)]
    headers = [
        {"Authorization": push_bodies.shopee_signature(key, url=url, body=b)} for b in shopee_bodies
    ]
    notices = [ml.parse(ml_body(runs + n)) for n in range(runs)]
    figures = {
        "whole request, Mercado Livre (Django's handler, every middleware, no socket)": (
            lambda n: client.post(
                "/push/mercadolivre/", ml_body(n), content_type="application/json"
            )
        ),
        "whole request, Shopee (signature checked)": (
            lambda n: client.post(
                "/push/shopee/",
                shopee_bodies[n],
                content_type="application/json",
                headers=headers[n],
            )
        ),
        "a GET /healthz (the middleware alone, for scale)": lambda n: client.get("/healthz"),
        "parse, Mercado Livre": lambda n: ml.parse(ml_body(n)),
        "verify + parse, Shopee": lambda n: (
            shopee.verify(url=url, headers=headers[n], body=shopee_bodies[n]),
            shopee.parse(shopee_bodies[n]),
        ),
        "rate limit per source (Redis)": lambda n: retry_after("127.0.0.1"),
        "the INSERT … ON CONFLICT (autocommit)": lambda n: notification_keep(
            marketplace="mercadolivre", notice=notices[n], body=b"{}", source="127.0.0.1"
        ),
        "a new PostgreSQL connection (CONN_MAX_AGE=0 pays it per request)": lambda n: (
            connection.close(),
            connection.ensure_connection(),
        ),
    }
    result = {}
    for label, step in figures.items():
        fleet_seed.reset()
        result[label] = _median_us(step, runs if "connection" not in label else 200)
    fleet_seed.reset()
    return result
