"""How fast support staff's admin lists and searches are with up to 1,000,000 integrations.

Seeds a dedicated PostgreSQL database (benchmarks/admin_seed.py), logs in as a member of the
"Suporte" group and times admin requests through Django's test Client: the integrations list, a
search by every searchable field, the filters, the overview, an integration's page and the
sellers list. For each request it prints the median and the 95th percentile of ``--repeat`` runs
and the number of SQL queries, and the garbage collector's full collections that landed inside
the timed requests (the process is frozen first, as ``config.wsgi`` does, unless ``--no-freeze``);
for the lists and searches, the plan of the request's slowest SQL statement as
``EXPLAIN (ANALYZE, BUFFERS)`` gives it: each scan, with the index it uses, and the execution time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hub \\
        .venv/bin/python benchmarks/admin_changelist.py [--rows 1000000] [--repeat 9] [--keep] \\
        [--database hub_bench_admin] [--no-explain] [--no-freeze]

``--keep`` keeps (and reuses) the seeded database between runs; it is seeded again only when it
holds a different number of integrations. ``--database`` names it (``hub_bench_admin``), so that
a million-row and a 100,000-row database can be kept side by side.
"""

import argparse
import gc
import os
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from benchmarks.admin_seed import seed  # noqa: E402
from config.startup import freeze_loaded_objects  # noqa: E402
from hub.cnpj import format_cnpj  # noqa: E402
from hub.models import Membership  # noqa: E402
from integrations.models import Integration, IntegrationEvent  # noqa: E402

DATABASE_NAME = "hub_bench_admin"
INTEGRATIONS = "/admin/integrations/integration/"
SELLERS = "/admin/hub/seller/"
# A plan's scan nodes ("Bitmap Index Scan on hub_seller_name_upper_trgm") and their actual rows.
_SCAN = re.compile(
    r"((?:Parallel )?(?:Seq|Index|Index Only|Bitmap Index|Bitmap Heap) Scan"
    r"(?: Backward)?(?: using \S+)? on \S+(?: \w+)?)"
    r".*?actual time=[\d.]+\.\.[\d.]+ rows=(\d+) loops=(\d+)"
)


def percentile_95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20, method="inclusive")[18]


class CollectorPauses:
    """The garbage collector's full (oldest-generation) collections inside the timed requests."""

    def __init__(self):
        self.count, self.total_ms, self._started = 0, 0.0, None

    def __enter__(self):
        gc.callbacks.append(self._callback)

    def __exit__(self, *exc_info):
        gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.count += 1
            self.total_ms += (time.perf_counter() - self._started) * 1000
            self._started = None

    def __str__(self) -> str:
        return f"full GC {self.count} ({self.total_ms:.0f} ms)" if self.count else "full GC 0"


def plan_summary(sql: str) -> list[str]:
    """The scans of a statement's actual plan and its execution time."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        lines = [row[0] for row in cursor.fetchall()]
    summary = []
    for line in lines:
        if "never executed" in line:
            continue
        if match := _SCAN.search(line):
            loops = f" x {match[3]} loops" if match[3] != "1" else ""
            summary.append(f"{match[1]}: {match[2]} rows{loops}")
    buffers = next((line.strip() for line in lines if "Buffers:" in line), "")
    summary.append(f"{buffers}; {lines[-1].strip()}")
    return summary


def measure(client: Client, label: str, url: str, repeat: int, explain: str | None) -> None:
    """``explain``: the table whose slowest statement is explained (not the session's)."""
    response = client.get(url)  # warm-up (and a check)
    assert response.status_code == 200, (url, response.status_code)
    timings, queries = [], 0
    pauses = CollectorPauses()
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured, pauses:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    cl = (response.context or {}).get("cl")
    rows = "-" if cl is None else f"{cl.result_count:,}{'~' if cl.paginator.estimated else ''}"

    def slowest(queries: list[dict]) -> dict:
        return max(queries, key=lambda query: float(query["time"]))

    overall = slowest(captured.captured_queries)
    print(
        f"{label:<42} median {statistics.median(timings):7.1f} ms  "
        f"p95 {percentile_95(timings):7.1f} ms  {queries:2d} queries  "
        f"slowest SQL {float(overall['time']) * 1000:6.1f} ms  rows {rows}  {pauses}",
        flush=True,
    )
    if explain:
        listing = slowest([query for query in captured if f'"{explain}"' in query["sql"]])
        for line in plan_summary(listing["sql"]):
            print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep and reuse the seeded database")
    parser.add_argument("--no-explain", action="store_true", help="skip the EXPLAIN summaries")
    parser.add_argument("--database", default=DATABASE_NAME, help="the database to seed and use")
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave out what config.wsgi does at start-up (config.startup: the collector's freeze)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/hub")

    setup_test_environment()
    settings.DEBUG = False
    connection.settings_dict["TEST"]["NAME"] = args.database
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    try:
        if Integration.objects.count() != args.rows:
            seed(args.rows)
        run(args)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def cases(rows: int) -> list[tuple[str, str, str | None]]:
    """(label, url, table whose slowest statement is explained) for every request timed."""
    middle = Integration.objects.select_related("seller").get(pk=rows // 2 + 1)
    seller = middle.seller
    email = Membership.objects.filter(seller=seller).select_related("user").first().user.email
    seller_word = seller.name.split()[0]  # "Badefigo Modas"
    account_word = middle.account_name.split()[0]  # "Lomipasa Serviços Ltda"
    domain = "@" + email.split("@")[1]

    def search(base: str, term: str) -> str:
        return f"{base}?q={quote_plus(term)}"

    base, table = INTEGRATIONS, "integrations_integration"
    return [
        ("list, first page", base, table),
        ("list, page 200", f"{base}?p=200", table),
        ("search CNPJ with punctuation", search(base, format_cnpj(seller.cnpj)), table),
        ("search CNPJ digits only", search(base, seller.cnpj), table),
        ("search CNPJ fragment (root, punctuated)", search(base, seller.cnpj_display[:10]), table),
        ("search user e-mail", search(base, email), table),
        ("search e-mail domain", search(base, domain), table),
        ("search seller name fragment", search(base, seller_word[1:7].lower()), table),
        ("search seller name, two words", search(base, seller.name), table),
        ("search legal name fragment", search(base, account_word[2:8].lower()), table),
        ("search full legal name", search(base, middle.account_name), table),
        ("search tenant id", search(base, middle.external_id), table),
        ("search tenant id fragment", search(base, middle.external_id[:8]), table),
        ("filter status Token Expirado", f"{base}?status__exact=expired", table),
        ("filter importação falhando", f"{base}?importacao=falhando", table),
        ("search without accents", search(base, "comercio"), table),
        ("filter expira na próxima hora", f"{base}?expira=proxima-hora", table),
        ("filter com erro nas últimas 24 h", f"{base}?erro_24h=sim", table),
        ("filter falha ao renovar (24 h)", f"{base}?evento_24h=refresh_failed", table),
        ("overview", f"{base}visao-geral/", None),
        ("integration page", f"{base}{middle.pk}/change/", None),
        ("sellers list, first page", SELLERS, "hub_seller"),
        ("sellers search name fragment", search(SELLERS, seller_word[1:7].lower()), "hub_seller"),
        ("sellers search e-mail domain", search(SELLERS, domain), "hub_seller"),
    ]


def run(args) -> None:
    User = get_user_model()
    support, _ = User.objects.get_or_create(
        username="bench-suporte", defaults={"is_staff": True, "email": "suporte@hub.test"}
    )
    support.groups.add(Group.objects.get(name="Suporte"))
    client = Client()
    client.force_login(support)
    if not args.no_freeze:  # as the server's entry point does before its first request
        freeze_loaded_objects()

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(
        f"\n{Integration.objects.count():,} integrations, "
        f"{IntegrationEvent.objects.count():,} events, PostgreSQL "
        f"{connection.cursor().connection.info.server_version}, database {size}; "
        f"median and p95 of {args.repeat}; load average {os.getloadavg()[0]:.2f}; "
        f"{'no gc.freeze' if args.no_freeze else 'gc.freeze at start-up, as config.wsgi does'}\n"
    )
    for label, url, table in cases(args.rows):
        measure(client, label, url, args.repeat, None if args.no_explain else table)
    print(f"\nload average {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
