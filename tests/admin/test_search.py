"""The admin's searches: every field of the sellers and attempts lists, the same rows whichever
word is looked up through the indexes, short words, and (PostgreSQL) the trigram index in the
plan of the query the admin really sends."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.cnpj import format_cnpj
from hub.search import leading_term, lookups_q
from integrations.models import AuthorizationAttempt, Integration
from integrations.selectors_support import (
    attempt_search,
    attempt_search_lookups,
    attempt_search_q,
    integration_search,
    integration_search_lookups,
    integration_search_q,
)
from tests.admin import admin_url, make_attempt
from tests.factories import IntegrationFactory, SellerFactory, UserFactory, valid_cnpj

pytestmark = pytest.mark.django_db
INTEGRATIONS = admin_url("integrations_integration_changelist")
SELLERS = admin_url("hub_seller_changelist")
ATTEMPTS = admin_url("integrations_authorizationattempt_changelist")


@pytest.fixture
def shop():
    """A seller, two accounts, a member; and others that share its common words."""
    seller = SellerFactory(name="Badefigo Utilidades", cnpj=valid_cnpj(98_765_432_0001))
    UserFactory(membership__seller=seller, email="ana.souza@badefigo.com.br")
    matriz = IntegrationFactory(
        seller=seller, account_name="Lomipasa Matriz Ltda", external_id="tenant-7c1e9a"
    )
    filial = IntegrationFactory(seller=seller, account_name="Lomipasa Filial Ltda")
    for n in range(4):
        IntegrationFactory(seller=SellerFactory(name=f"Casa {n} Utilidades"))
    return seller, matriz, filial


def listed(client, url, term) -> list[int]:
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return sorted(row.pk for row in response.context["cl"].result_list)


@pytest.mark.parametrize(
    "term",
    [
        "Mercearia Boa",
        "mercearia",
        "{cnpj}",
        "{cnpj_formatted}",
        "{cnpj_root}",
        "joana@boavista.com.br",
        "@BOAVISTA.COM.BR",
        "oa",
    ],
)
def test_sellers_list_search_by_name_cnpj_and_member_email(support_client, term):
    seller = SellerFactory(name="Mercearia Boa Vista", cnpj=valid_cnpj(12_345_678_0001))
    UserFactory(membership__seller=seller, email="joana@boavista.com.br")
    SellerFactory(name="Outra Loja")
    term = term.format(
        cnpj=seller.cnpj, cnpj_formatted=format_cnpj(seller.cnpj), cnpj_root=seller.cnpj[:8]
    )

    assert listed(support_client, SELLERS, term) == [seller.pk]


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("badefigo", "wanted"),  # the seller's name
        ("{cnpj}", "wanted"),  # its CNPJ, punctuated
        ("Lomipasa Matriz", "wanted"),  # the account chosen
        ("7c1e9a", "wanted"),  # the id of the account chosen
        ("Matriz Esperada", "wanted"),  # the account expected
        ("ana.souza@", "wanted"),  # who started it
        ("casa 1 fil", "other"),
    ],
)
def test_attempts_list_search_by_seller_chosen_and_expected_account_and_user(
    support_client, shop, term, found
):
    seller, _matriz, _filial = shop
    attempts = {
        "wanted": make_attempt(
            integration=IntegrationFactory(seller=seller, account_name="Matriz Esperada Ltda"),
            user=seller.memberships.get().user,
            chosen_external_id="tenant-7c1e9a",
            chosen_account_name="Lomipasa Matriz Ltda",
        ),
        "other": make_attempt(
            integration=IntegrationFactory(seller=SellerFactory(name="Casa 1 Utilidades")),
            chosen_account_name="Casa 1 Filial",
        ),
    }
    term = term.format(cnpj=format_cnpj(seller.cnpj))

    assert listed(support_client, ATTEMPTS, term) == [attempts[found].pk]


@pytest.mark.parametrize(
    "term", ["badefigo", "UTILIDADES", "lomipasa", "matriz", "7c1e9a", "tenant", "Ltda", "a"]
)
def test_a_words_lookups_find_the_rows_its_condition_finds(shop, term):
    seller, *_ = shop
    make_attempt(integration=IntegrationFactory(seller=seller), chosen_account_name="Matriz X")
    integrations = Integration.objects.all()
    attempts = AuthorizationAttempt.objects.all()

    assert set(integrations.filter(lookups_q(Integration, integration_search_lookups(term)))) == (
        set(integrations.filter(integration_search_q(term)))
    )
    assert set(
        attempts.filter(lookups_q(AuthorizationAttempt, attempt_search_lookups(term)))
    ) == set(attempts.filter(attempt_search_q(term)))


def test_the_word_finding_fewest_rows_leads_even_when_shorter(shop, django_assert_num_queries):
    terms = ["utilidades", "badefigo"]

    with django_assert_num_queries(1):  # one statement counts both words' matches
        lead = leading_term(terms, lookups=integration_search_lookups, exact=lambda term: False)

    assert terms[lead] == "badefigo"


@pytest.mark.parametrize(
    ("terms", "lead"),
    [
        (["lomipasa"], 0),
        (["ab", "lomipasa", "x"], 1),
        (["ab", "x"], None),  # too short for a trigram index: the tables are read
        (["lomipasa", "ana@badefigo.com.br"], None),  # the e-mail has an index lookup of its own
    ],
)
def test_a_single_candidate_or_an_exact_word_needs_no_counting(
    terms, lead, django_assert_num_queries
):
    with django_assert_num_queries(0):
        found = leading_term(terms, lookups=integration_search_lookups, exact=lambda t: "@" in t)

    assert found == lead


@pytest.mark.parametrize(
    "search_term",
    [
        "badefigo utilidades",
        "utilidades badefigo",
        "badefigo matriz",  # one word in the seller's name, the other in the legal name
        "matriz {cnpj_root}",
        "lomipasa ana.souza@badefigo.com.br",
        "Ba fi",  # words too short for the trigram index: same rows, read from the tables
        "utilidades filial",
    ],
)
def test_every_word_must_match_whichever_leads(shop, search_term):
    seller, matriz, filial = shop
    search_term = search_term.format(cnpj_root=seller.cnpj[:8])
    plain = Integration.objects.all()
    for term in search_term.split():
        plain = plain.filter(integration_search_q(term))

    found = set(integration_search(Integration.objects.all(), search_term=search_term))

    assert found == set(plain)
    assert found <= {matriz, filial}
    assert found


def test_no_word_matches_nothing_and_a_quoted_phrase_stays_whole(support_client, shop):
    _seller, matriz, _filial = shop

    assert listed(support_client, INTEGRATIONS, "badefigo nada-disso") == []
    assert listed(support_client, INTEGRATIONS, '"Lomipasa Matriz"') == [matriz.pk]
    assert attempt_search(AuthorizationAttempt.objects.all(), search_term="nada").count() == 0


# --- PostgreSQL: the plan of the admin's own query names the trigram index ----------------------


def _plan_of_search(client, url: str, term: str) -> str:
    """EXPLAIN of the list's page query, as the admin sent it, with sequential and whole-index
    scans off: the test tables are tiny, and PostgreSQL would rightly read them whole."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, {"q": term}).status_code == 200
    [*_, page] = [query["sql"] for query in captured if "LIKE" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {page}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("url", "term", "index"),
    [
        (INTEGRATIONS, "defigo", "seller_name_folded_trgm"),
        (INTEGRATIONS, "BADEFIGO util", "seller_name_folded_trgm"),
        (INTEGRATIONS, "mipasa", "integration_account_name_folded_trgm"),
        (INTEGRATIONS, "7c1e9", "integration_external_id_trgm"),
        (INTEGRATIONS, "{cnpj_root}", "seller_cnpj_trgm"),
        (INTEGRATIONS, "ana.souza@badefigo.com.br", "user_email_trgm"),
        (INTEGRATIONS, "@badefigo.com.br", "user_email_trgm"),
        (SELLERS, "defigo", "seller_name_folded_trgm"),
        (SELLERS, "@badefigo.com.br", "user_email_trgm"),
        (ATTEMPTS, "defigo", "seller_name_folded_trgm"),
        (ATTEMPTS, "escolhida", "attempt_chosen_name_folded_trgm"),
        (ATTEMPTS, "filial-9", "attempt_chosen_id_trgm"),
        (ATTEMPTS, "mipasa", "integration_account_name_folded_trgm"),
        (ATTEMPTS, "souza@", "user_email_trgm"),
    ],
)
def test_the_search_query_is_served_by_the_trigram_index(support_client, shop, url, term, index):
    seller, matriz, _filial = shop
    make_attempt(
        integration=matriz,
        user=seller.memberships.get().user,
        chosen_external_id="tenant-filial-9",
        chosen_account_name="Filial Escolhida Ltda",
    )

    plan = _plan_of_search(support_client, url, term.format(cnpj_root=seller.cnpj[:8]))

    assert f"Bitmap Index Scan on {index}" in plan, plan


@pytest.mark.postgres
def test_the_trigram_indexes_are_on_the_expressions_the_search_compares():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%_trgm'")
        definitions = dict(cursor.fetchall())

    assert {name: definitions[name].split(" USING ")[1] for name in definitions} == {
        "seller_name_folded_trgm": "gin (hub_fold((name)::text) gin_trgm_ops)",
        "seller_cnpj_trgm": "gin (cnpj gin_trgm_ops)",
        "user_email_trgm": "gin (upper((email)::text) gin_trgm_ops)",
        "integration_account_name_folded_trgm": "gin (hub_fold((account_name)::text) gin_trgm_ops)",
        "integration_external_id_trgm": "gin (external_id gin_trgm_ops)",
        "integration_document_trgm": "gin (account_document_number gin_trgm_ops)",
        "attempt_chosen_name_folded_trgm": "gin (hub_fold((chosen_account_name)::text) gin_trgm_ops)",
        "attempt_chosen_id_trgm": "gin (upper((chosen_external_id)::text) gin_trgm_ops)",
    }


def test_the_trigram_indexes_exist_on_postgresql_only():
    tables = [
        "hub_seller",
        "auth_user",
        "integrations_integration",
        "integrations_authorizationattempt",
    ]
    with connection.cursor() as cursor:
        names = {
            name
            for table in tables
            for name in connection.introspection.get_constraints(cursor, table)
            if name.endswith("_trgm")
        }

    assert len(names) == (8 if connection.vendor == "postgresql" else 0)
