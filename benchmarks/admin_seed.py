"""Seeds the admin benchmark's database in PostgreSQL itself: a million integrations in about two
minutes, where bulk_create took 36 s per 100,000.

Sellers and users come in through COPY (CNPJ check digits and e-mails are computed in Python);
memberships, integrations and events are ``INSERT … SELECT`` over ``generate_series``. Ids are given
explicitly, so every row can point at its seller or integration by arithmetic, and the identity
sequences are moved past them at the end.
"""

import time

from django.contrib.auth.hashers import make_password
from django.db import connection

from tests.factories import valid_cnpj

# One real-looking ciphertext for every row: the list never decrypts, the row width is realistic.
FAKE_CIPHERTEXT = "gAAAAA" + "x" * 250
_SEEDED_TABLES = [
    "auth_user",
    "hub_seller",
    "hub_membership",
    "integrations_integration",
    "integrations_integrationevent",
    "integrations_authorizationattempt",
]


def seller_cnpj(n: int) -> str:
    """Spread over the whole range of roots (48271 is prime to 10^8: no two sellers share one),
    branch 0001 as most companies' head office."""
    root = (n * 48_271 + 10_000_000) % 100_000_000
    return valid_cnpj(root * 10_000 + 1)


# Names are made of pseudo-words ("Badefigo Modas"), one per row, so that a fragment of a name
# finds a few rows, as a real one would, and never collides with the digits of a CNPJ.
SYLLABLES = [consonant + vowel for consonant in "bdfglmnprstv" for vowel in "aeiou"]
SELLER_KINDS = ["Comércio", "Modas", "Eletrônicos", "Alimentos", "Utilidades", "Esportes"]
ACCOUNT_KINDS = ["Comércio", "Indústria", "Serviços", "Distribuidora"]
# Legal names use other words than sellers' names: each search reaches its own index.
ACCOUNT_WORDS_FROM = 5_000_000


def pseudo_word(n: int) -> str:
    """Four syllables, one word per number below 60^4 (12,960,000)."""
    syllables = []
    for _ in range(4):
        n, index = divmod(n, len(SYLLABLES))
        syllables.append(SYLLABLES[index])
    return "".join(syllables).capitalize()


def seller_name(n: int) -> str:
    return f"{pseudo_word(n)} {SELLER_KINDS[n % len(SELLER_KINDS)]}"


FIRST_NAMES = ["ana", "bruno", "carla", "daniel", "eduarda", "felipe", "gabriela", "henrique",
               "isabela", "joao", "karina", "lucas", "mariana", "nicolas", "olivia", "paulo",
               "rafaela", "sergio", "tatiane", "vitor"]  # fmt: skip
LAST_NAMES = ["silva", "santos", "oliveira", "souza", "rodrigues", "ferreira", "alves", "pereira",
              "lima", "gomes", "costa", "ribeiro", "martins", "carvalho", "almeida", "lopes",
              "soares", "fernandes", "vieira", "barbosa"]  # fmt: skip
PUBLIC_DOMAINS = ["gmail.com", "hotmail.com", "outlook.com", "yahoo.com.br", "uol.com.br"]


def user_names(n: int) -> tuple[str, str]:
    return FIRST_NAMES[n % 20], LAST_NAMES[n // 20 % 20]


def user_email(n: int) -> str:
    """User n belongs to seller n // 2: the first of the two has an address at the seller's own
    domain, the second at a public provider."""
    first, last = user_names(n)
    domain = f"{pseudo_word(n // 2).lower()}.com.br" if n % 2 == 0 else PUBLIC_DOMAINS[n // 2 % 5]
    return f"{first}.{last}{n // 400}@{domain}"


def seller_count(rows: int) -> int:
    return max(1, rows * 2 // 5)  # 2.5 integrations per seller


def seed(rows: int) -> None:
    sellers = seller_count(rows)
    users = sellers * 2
    print(f"seeding {sellers:,} sellers, {users:,} users, {rows:,} integrations ...", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(_SEEDED_TABLES)} RESTART IDENTITY CASCADE")
        with cursor.copy("COPY hub_seller (id, name, cnpj, created_at) FROM STDIN") as copy:
            for n in range(sellers):
                copy.write_row((n + 1, seller_name(n), seller_cnpj(n), "2026-01-01T00:00:00Z"))
        password, joined = make_password(None), "2026-01-01T00:00:00Z"
        with cursor.copy(
            "COPY auth_user (id, password, is_superuser, username, first_name, last_name, email,"
            " is_staff, is_active, date_joined) FROM STDIN"
        ) as copy:
            for n in range(users):
                first, last = user_names(n)
                copy.write_row(
                    (n + 1, password, False, f"u{n}", first.title(), last.title(), user_email(n),
                     False, True, joined)
                )  # fmt: skip
        cursor.execute(
            """
            INSERT INTO hub_membership (id, created_at, user_id, seller_id)
            SELECT n + 1, now(), n + 1, n / 2 + 1 FROM generate_series(0, %s - 1) AS n
            """,
            [users],
        )
        # Integration n belongs to seller n % sellers; 1 in 7 is Token Expirado with an error.
        cursor.execute(
            """
            INSERT INTO integrations_integration (
                id, public_id, marketplace, external_id, account_name, account_document,
                account_document_number, accepted_account_type, access_token_ciphertext, refresh_token_ciphertext,
                access_token_expires_at, scopes, status, last_renewed_at, last_error,
                last_error_at, expiry_cause, created_at, updated_at, seller_id)
            SELECT n + 1, gen_random_uuid(), 'magalu', md5(n::text)::uuid::text,
                   initcap(s[w %% 60 + 1] || s[w / 60 %% 60 + 1] || s[w / 3600 %% 60 + 1]
                           || s[w / 216000 %% 60 + 1]) || ' ' || k[n %% 4 + 1] || ' Ltda', '', '', '',
                   CASE WHEN active THEN %(cipher)s ELSE '' END,
                   CASE WHEN active THEN %(cipher)s ELSE '' END,
                   CASE WHEN active THEN now() + make_interval(secs => (n * 37) %% 7200) END,
                   'open:order-order:read open:portfolio:read',
                   CASE WHEN active THEN 'active' ELSE 'expired' END,
                   now() - make_interval(secs => (n * 53) %% 7200),
                   CASE WHEN active THEN '' ELSE 'O ID Magalu recusou a renovação do token.' END,
                   CASE WHEN NOT active THEN now() - make_interval(mins => (n * 11) %% 4320) END,
                   CASE WHEN active THEN '' ELSE 'revoked' END,
                   now(), now(), n %% %(sellers)s + 1
            FROM generate_series(0, %(rows)s - 1) AS n,
                 LATERAL (SELECT n %% 7 <> 0 AS active, n + %(words_from)s AS w) a,
                 (SELECT %(syllables)s::text[] AS s, %(kinds)s::text[] AS k) words
            """,
            {
                "cipher": FAKE_CIPHERTEXT,
                "sellers": sellers,
                "rows": rows,
                "words_from": ACCOUNT_WORDS_FROM,
                "syllables": SYLLABLES,
                "kinds": ACCOUNT_KINDS,
            },
        )
        # Each Ativo integration's order pulse: 1 in 500 with its imports failing, 1 in 150
        # silent (the trouble the admin's list shows first).
        cursor.execute(
            """
            INSERT INTO orders_orderpulse (
                integration_id, last_import_at, last_import_error, last_import_new_orders,
                last_import_failure, import_failing_since, silent_since)
            SELECT id, now() - interval '5 minutes',
                   CASE WHEN id % 500 = 1 THEN 'serviço indisponível (HTTP 500)' ELSE '' END,
                   id % 4, CASE WHEN id % 500 = 1 THEN 'temporary' ELSE '' END,
                   CASE WHEN id % 500 = 1 THEN now() - interval '2 hours' END,
                   CASE WHEN id % 150 = 2 THEN now() - interval '30 hours' END
            FROM integrations_integration WHERE status = 'active'
            """
        )
        # Two events per integration over the last three days, 1 in 10 a failure, 1 in 10 expiry.
        cursor.execute(
            """
            INSERT INTO integrations_integrationevent (kind, created_at, details, integration_id)
            SELECT (ARRAY['refreshed', 'refreshed', 'refreshed', 'refreshed', 'refreshed',
                          'refreshed', 'refreshed', 'refreshed', 'refresh_failed',
                          'expired'])[n %% 10 + 1],
                   now() - make_interval(mins => (n * 7) %% 4320), '', n %% %(rows)s + 1
            FROM generate_series(0, 2 * %(rows)s - 1) AS n
            """,
            {"rows": rows},
        )
        for table in ("auth_user", "hub_seller", "hub_membership", "integrations_integration"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"  # noqa: S608
            )
    # As a table in production looks: statistics gathered, visibility map set.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"seeded in {time.perf_counter() - started:.1f} s", flush=True)
