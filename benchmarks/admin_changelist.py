"""How fast support staff's integrations list is with 100,000 integrations (PostgreSQL).

Seeds a dedicated database (``hub_bench_admin``) with bulk_create, logs in as a member of the
"Suporte" group and times admin requests through Django's test Client: the list, searches by
CNPJ (with and without punctuation), e-mail, name and tenant id, the filters, the overview and an
integration's page. Prints the median time and the number of SQL queries of each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hub \\
        .venv/bin/python benchmarks/admin_changelist.py [--rows 100000] [--repeat 7] [--keep]

``--keep`` keeps (and reuses) the seeded database between runs.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from hub.cnpj import format_cnpj  # noqa: E402
from hub.models import Membership, Seller  # noqa: E402
from integrations.models import Integration, IntegrationEvent  # noqa: E402
from tests.factories import valid_cnpj  # noqa: E402

DATABASE_NAME = "hub_bench_admin"
BATCH = 5_000
# One real-looking ciphertext for every row: the list never decrypts, the row width is realistic.
FAKE_CIPHERTEXT = "gAAAAA" + "x" * 250
UNUSABLE = make_password(None)


def seed(rows: int) -> None:
    User = get_user_model()
    now = timezone.now()
    sellers_count = max(1, rows * 2 // 5)  # 2.5 integrations per seller
    print(f"seeding {sellers_count:,} sellers, {rows:,} integrations ...", flush=True)
    started = time.perf_counter()
    Seller.objects.bulk_create(
        (
            Seller(name=f"Loja {n:06d} Comércio", cnpj=valid_cnpj(20_000_000_0000 + n))
            for n in range(sellers_count)
        ),
        batch_size=BATCH,
    )
    seller_ids = list(Seller.objects.order_by("pk").values_list("pk", flat=True))
    User.objects.bulk_create(
        (
            User(username=f"u{n}", email=f"pessoa{n}@loja{n // 2:06d}.com.br", password=UNUSABLE)
            for n in range(sellers_count * 2)
        ),
        batch_size=BATCH,
    )
    user_ids = list(
        User.objects.filter(username__startswith="u").order_by("pk").values_list("pk", flat=True)
    )
    Membership.objects.bulk_create(
        (
            Membership(user_id=user_id, seller_id=seller_ids[n // 2])
            for n, user_id in enumerate(user_ids)
        ),
        batch_size=BATCH,
    )

    def integration(n: int) -> Integration:
        active = n % 7 != 0
        return Integration(
            seller_id=seller_ids[n % sellers_count],
            marketplace="magalu",
            external_id=str(uuid.UUID(int=n + 1)),
            account_name=f"Empresa {n:06d} Ltda",
            status=Integration.Status.ACTIVE if active else Integration.Status.EXPIRED,
            access_token_ciphertext=FAKE_CIPHERTEXT if active else "",
            refresh_token_ciphertext=FAKE_CIPHERTEXT if active else "",
            access_token_expires_at=now + timedelta(seconds=(n * 37) % 7200) if active else None,
            last_renewed_at=now - timedelta(seconds=(n * 53) % 7200),
            scopes="open:order-order:read open:portfolio:read",
            last_error="" if active else "O ID Magalu recusou a renovação do token.",
            last_error_at=None if active else now - timedelta(minutes=(n * 11) % 4320),
        )

    Integration.objects.bulk_create((integration(n) for n in range(rows)), batch_size=BATCH)
    integration_ids = list(Integration.objects.order_by("pk").values_list("pk", flat=True))
    kinds = [IntegrationEvent.Kind.REFRESHED] * 8 + [
        IntegrationEvent.Kind.REFRESH_FAILED,
        IntegrationEvent.Kind.EXPIRED,
    ]
    IntegrationEvent.objects.bulk_create(
        (
            IntegrationEvent(
                integration_id=integration_ids[n % rows],
                kind=kinds[n % len(kinds)],
                created_at=now - timedelta(minutes=(n * 7) % 4320),
            )
            for n in range(rows * 2)
        ),
        batch_size=BATCH,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)


def measure(client: Client, label: str, url: str, repeat: int) -> None:
    response = client.get(url)  # warm-up (and a check)
    assert response.status_code == 200, (url, response.status_code)
    timings, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    rows = response.context["cl"].result_count if "cl" in (response.context or {}) else "-"
    slowest = max(float(q["time"]) for q in captured.captured_queries) * 1000
    print(
        f"{label:<44} {statistics.median(timings):8.1f} ms  (min {min(timings):7.1f}, "
        f"max {max(timings):7.1f})  {queries:3d} queries  slowest SQL {slowest:6.1f} ms  "
        f"rows {rows}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep and reuse the seeded database")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/hub")

    setup_test_environment()
    settings.DEBUG = False
    connection.settings_dict["TEST"]["NAME"] = DATABASE_NAME
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    try:
        if Integration.objects.count() < args.rows:
            Integration.objects.all().delete()
            seed(args.rows)
        run(args)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args) -> None:
    User = get_user_model()
    support, _ = User.objects.get_or_create(
        username="bench-suporte", defaults={"is_staff": True, "email": "suporte@hub.test"}
    )
    support.groups.add(Group.objects.get(name="Suporte"))
    client = Client()
    client.force_login(support)

    middle = Integration.objects.select_related("seller").order_by("pk")[args.rows // 2]
    email = Membership.objects.filter(seller=middle.seller).select_related("user").first().user
    base = "/admin/integrations/integration/"
    print(
        f"\n{Integration.objects.count():,} integrations, "
        f"{IntegrationEvent.objects.count():,} events, PostgreSQL "
        f"{connection.cursor().connection.info.server_version}; median of {args.repeat}\n"
    )
    cases = [
        ("list, first page", base),
        ("list, page 200", f"{base}?p=200"),
        ("search CNPJ with punctuation", f"{base}?q={format_cnpj(middle.seller.cnpj)}"),
        ("search CNPJ digits only", f"{base}?q={middle.seller.cnpj}"),
        ("search user e-mail", f"{base}?q={email.email}"),
        ("search e-mail domain", f"{base}?q=@{email.email.split('@')[1]}"),
        ("search seller name fragment", f"{base}?q=Loja+{middle.seller.name[5:11]}"),
        ("search tenant id", f"{base}?q={middle.external_id}"),
        ("search legal name", f"{base}?q={middle.account_name.replace(' ', '+')}"),
        ("filter status Token Expirado", f"{base}?status__exact=expired"),
        ("filter expira na próxima hora", f"{base}?expira=proxima-hora"),
        ("filter com erro nas últimas 24 h", f"{base}?erro_24h=sim"),
        ("filter falha ao renovar (24 h)", f"{base}?evento_24h=refresh_failed"),
        ("overview", f"{base}visao-geral/"),
        ("integration page", f"{base}{middle.pk}/change/"),
    ]
    for label, url in cases:
        measure(client, label, url, args.repeat)


if __name__ == "__main__":
    main()
