"""The admin's search: the account's own CNPJ/CPF by its digits (shown masked only), and names
found without their accents ("Ipe" finds "Loja Ipê")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.folding import fold
from marketplaces.base.documents import document_number
from tests.admin import admin_url, make_attempt
from tests.factories import IntegrationFactory, SellerFactory

pytestmark = pytest.mark.django_db
INTEGRATIONS = admin_url("integrations_integration_changelist")
ATTEMPTS = admin_url("integrations_authorizationattempt_changelist")
SELLERS = admin_url("hub_seller_changelist")
ACCOUNT_CNPJ = "11222333000181"
ACCOUNT_CPF = "52998224725"


def listed(client, url, term) -> list[int]:
    response = client.get(url, {"q": term})
    assert response.status_code == 200
    return sorted(row.pk for row in response.context["cl"].result_list)


@pytest.fixture
def accounts():
    company = IntegrationFactory(
        marketplace="mercadolivre",
        account_name="LOJAEXEMPLO",
        account_document="CNPJ ••.•••.•••/0001-81",
        account_document_number=ACCOUNT_CNPJ,
    )
    person = IntegrationFactory(
        marketplace="mercadolivre",
        account_name="EXEMPLOOUTLET",
        account_document="CPF •••.•••.•••-25",
        account_document_number=ACCOUNT_CPF,
    )
    IntegrationFactory.create_batch(3)
    return company, person


@pytest.mark.parametrize(
    ("term", "which"),
    [
        ("11222333000181", "company"),
        ("11.222.333/0001-81", "company"),
        ("529.982.247-25", "person"),
        ("52998224725", "person"),
        ("22333", "company"),
    ],
)
def test_the_accounts_own_document_is_found_by_its_digits(support_client, accounts, term, which):
    company, person = accounts

    expected = {"company": company, "person": person}[which]
    assert listed(support_client, INTEGRATIONS, term) == [expected.pk]


def test_the_seller_cnpj_and_an_accounts_cnpj_are_both_found(support_client, accounts):
    company, _ = accounts
    seller = SellerFactory(cnpj=ACCOUNT_CNPJ)
    own = IntegrationFactory(seller=seller)

    assert listed(support_client, INTEGRATIONS, "11.222.333/0001-81") == sorted(
        [company.pk, own.pk]
    )


def test_the_document_is_shown_masked_never_whole(support_client, accounts):
    company, _ = accounts

    for url in (INTEGRATIONS, admin_url("integrations_integration_change", company.pk)):
        text = support_client.get(url).content.decode()
        assert "CNPJ ••.•••.•••/0001-81" in text
        assert ACCOUNT_CNPJ not in text and "11.222.333/0001-81" not in text
        assert ACCOUNT_CPF not in text


def test_only_a_whole_unmasked_number_is_kept():
    assert document_number("11.222.333/0001-81", "CNPJ") == ACCOUNT_CNPJ
    assert document_number("529.982.247-25", "CPF") == ACCOUNT_CPF
    assert document_number("CNPJ ••.•••.•••/0001-81") == ""
    assert document_number("20123456786", "CUIT") == ""
    assert document_number("11222333000182", "CNPJ") == ""  # check digits wrong


def test_fold_drops_accents_and_case():
    assert fold("Loja Ipê Açaí Ñandú") == "LOJA IPE ACAI NANDU"


@pytest.mark.parametrize("term", ["Ipe", "ipê", "IPÊ", "loja ipe"])
def test_names_are_found_without_their_accents(support_client, term):
    seller = SellerFactory(name="Loja Ipê")
    integration = IntegrationFactory(seller=seller, account_name="Comércio São João Ltda")
    IntegrationFactory(seller=SellerFactory(name="Loja Pera"), account_name="Outra Ltda")

    assert listed(support_client, INTEGRATIONS, term) == [integration.pk]
    assert listed(support_client, SELLERS, term) == [seller.pk]


@pytest.mark.parametrize("term", ["comercio sao joao", "COMÉRCIO", "São Joao"])
def test_legal_and_chosen_names_are_found_without_their_accents(support_client, term):
    integration = IntegrationFactory(account_name="Comércio São João Ltda")
    IntegrationFactory(account_name="Outra Ltda")
    attempt = make_attempt(
        integration=IntegrationFactory(account_name="Esperada Ltda"),
        chosen_external_id="tenant-x",
        chosen_account_name="Comércio São João Filial",
    )

    assert listed(support_client, INTEGRATIONS, term) == [integration.pk]
    assert listed(support_client, ATTEMPTS, term) == [attempt.pk]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("url", "term", "index"),
    [
        (INTEGRATIONS, "ipe", "seller_name_folded_trgm"),
        (INTEGRATIONS, "comercio", "integration_account_name_folded_trgm"),
        (INTEGRATIONS, "529.982.247", "integration_document_trgm"),
        (ATTEMPTS, "sao joao", "attempt_chosen_name_folded_trgm"),
    ],
)
def test_the_accent_and_document_searches_use_the_trigram_indexes(support_client, url, term, index):
    IntegrationFactory(
        seller=SellerFactory(name="Loja Ipê"),
        account_name="Comércio Ltda",
        account_document_number=ACCOUNT_CPF,
    )
    make_attempt(
        integration=IntegrationFactory(),
        chosen_external_id="tenant-x",
        chosen_account_name="Filial São João",
    )
    with CaptureQueriesContext(connection) as captured:
        assert support_client.get(url, {"q": term}).status_code == 200
    [*_, page] = [query["sql"] for query in captured if "LIKE" in query["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {page}")
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert f"Bitmap Index Scan on {index}" in plan, plan
