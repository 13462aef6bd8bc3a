"""The integrations list: columns, search, filters, ordering and a constant number of queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hub.admin_site import when
from hub.cnpj import format_cnpj
from integrations.models import Integration, IntegrationEvent
from tests.admin import admin_url, make_event
from tests.factories import IntegrationFactory, SellerFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = admin_url("integrations_integration_changelist")
Kind = IntegrationEvent.Kind


def listed(client, **params) -> list[int]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [integration.pk for integration in response.context["cl"].result_list]


def test_columns_show_seller_marketplace_account_status_expiry_renewal_and_error(support_client):
    seller = SellerFactory(name="Casa Aurora")
    active = IntegrationFactory(
        seller=seller, account_name="Aurora Comércio Ltda", external_id="tenant-aurora"
    )
    IntegrationFactory(
        seller=seller,
        expired=True,
        account_name="Aurora Filial Ltda",
        last_error="O ID Magalu recusou a renovação do token.",
        last_error_at=timezone.now(),
    )

    response = support_client.get(URL)
    body = response.content.decode()

    assert "Casa Aurora" in body
    assert format_cnpj(seller.cnpj) in body
    assert "Magazine Luiza" in body
    assert "Aurora Comércio Ltda" in body and "tenant-aurora" in body
    assert (
        '<span class="hub-badge hub-badge--ok"><span class="hub-badge__dot"></span>Ativo</span>'
        in body
    )
    assert "hub-badge--warn" in body and "Token Expirado" in body
    assert "O ID Magalu recusou a renovação do token." in body
    assert f"expira</span> {when(active.access_token_expires_at)}" in body
    assert f"renovado</span> {when(active.last_renewed_at)}" in body
    headers = [header["text"] for header in response.context["result_headers"]][1:]  # ☐
    assert headers == ["empresa", "conta", "situação", "token", "último erro"]
    assert 'href="/static/hub/admin.css"' in body
    assert "style=" not in body.split("<body", 1)[1]


def test_a_long_last_error_is_shortened_with_the_whole_text_on_hover(support_client):
    error = "O Mercado Livre recusou a renovação (invalid_grant): " + "detalhe " * 20
    failed_at = timezone.now() - timedelta(hours=1)
    IntegrationFactory(expired=True, last_error=error, last_error_at=failed_at)

    body = support_client.get(URL).content.decode()

    [shown] = re.findall(rf'<span title="{re.escape(error)}">([^<]*)</span>', body)
    assert len(shown) <= 60 and shown.endswith("…") and error.startswith(shown[:-1])
    assert when(failed_at) in body


@pytest.mark.parametrize(
    "term",
    [
        "Mercearia Boa",
        "mercearia",
        "{cnpj}",
        "{cnpj_formatted}",
        "{cnpj_half_punctuated}",
        "tenant-9f1c",
        "Boa Vista Alimentos",
        "alimentos ltda",
        "joana@boavista.com.br",
        "@BOAVISTA.COM.BR",
    ],
)
def test_search_by_name_cnpj_with_or_without_punctuation_tenant_legal_name_and_email(
    support_client, term
):
    seller = SellerFactory(name="Mercearia Boa Vista")
    wanted = IntegrationFactory(
        seller=seller, external_id="tenant-9f1c", account_name="Boa Vista Alimentos Ltda"
    )
    UserFactory(membership__seller=seller, email="joana@boavista.com.br")
    IntegrationFactory(seller=SellerFactory(name="Outra Loja"), account_name="Outra Ltda")
    term = term.format(
        cnpj=seller.cnpj,
        cnpj_formatted=format_cnpj(seller.cnpj),
        cnpj_half_punctuated=f"{seller.cnpj[:8]}/{seller.cnpj[8:12]}-{seller.cnpj[12:]}",
    )

    assert listed(support_client, q=term) == [wanted.pk]


def test_search_by_email_gives_each_integration_once_whatever_the_number_of_users(
    support_client,
):
    seller = SellerFactory()
    integrations = [IntegrationFactory(seller=seller) for _ in range(2)]
    for n in range(3):
        UserFactory(membership__seller=seller, email=f"pessoa{n}@acme.com.br")

    response = support_client.get(URL, {"q": "@acme.com.br"})

    assert sorted(i.pk for i in response.context["cl"].result_list) == sorted(
        i.pk for i in integrations
    )
    assert response.context["cl"].result_count == 2


def test_search_words_all_have_to_match(support_client):
    seller = SellerFactory(name="Loja Azul")
    wanted = IntegrationFactory(seller=seller, account_name="Azul Matriz Ltda")
    IntegrationFactory(seller=seller, account_name="Azul Filial Ltda")

    assert listed(support_client, q=f"matriz {format_cnpj(seller.cnpj)}") == [wanted.pk]


@pytest.mark.parametrize("term", ["LOJAEXEMPLO", "lojaexemplo", "123456001", "3456001"])
def test_search_finds_a_mercado_livre_account_by_nickname_or_user_id(support_client, term):
    wanted = IntegrationFactory(
        marketplace="mercadolivre", external_id="123456001", account_name="LOJAEXEMPLO"
    )
    IntegrationFactory(marketplace="mercadolivre", external_id="123456002", account_name="OUTLET")

    assert listed(support_client, q=term) == [wanted.pk]


def test_the_marketplace_filter_offers_both_by_name(support_client):
    body = support_client.get(URL).content.decode()

    assert "?marketplace=magalu" in body and "Magazine Luiza" in body
    assert "?marketplace=mercadolivre" in body and "Mercado Livre" in body


def test_filters_by_status_and_marketplace(support_client):
    active = IntegrationFactory()
    expired = IntegrationFactory(expired=True)
    other_marketplace = IntegrationFactory(marketplace="outro")

    assert listed(support_client, status__exact="expired") == [expired.pk]
    assert sorted(listed(support_client, marketplace="magalu")) == sorted([active.pk, expired.pk])
    assert listed(support_client, marketplace="outro") == [other_marketplace.pk]


def test_filter_expiring_in_the_next_hour_and_overdue(support_client):
    now = timezone.now()
    soon = IntegrationFactory(access_token_expires_at=now + timedelta(minutes=40))
    IntegrationFactory(access_token_expires_at=now + timedelta(hours=2))
    overdue = IntegrationFactory(access_token_expires_at=now - timedelta(minutes=5))
    IntegrationFactory(expired=True)

    assert listed(support_client, expira="proxima-hora") == [soon.pk]
    assert listed(support_client, expira="vencido") == [overdue.pk]


def test_filter_with_error_in_the_last_24_hours(support_client):
    now = timezone.now()
    recent = IntegrationFactory(expired=True, last_error_at=now - timedelta(hours=2))
    IntegrationFactory(expired=True, last_error_at=now - timedelta(hours=30))
    IntegrationFactory()

    assert listed(support_client, erro_24h="sim") == [recent.pk]


def test_filter_by_event_in_the_last_24_hours_lists_each_integration_once(support_client):
    failing = IntegrationFactory()
    for hours in (1, 5, 20):
        make_event(failing, Kind.REFRESH_FAILED, ago=timedelta(hours=hours))
    old = IntegrationFactory()
    make_event(old, Kind.REFRESH_FAILED, ago=timedelta(hours=30))
    expired = IntegrationFactory(expired=True)
    make_event(expired, Kind.EXPIRED, ago=timedelta(hours=3))

    assert listed(support_client, evento_24h="refresh_failed") == [failing.pk]
    assert listed(support_client, evento_24h="expired") == [expired.pk]


def _changelist_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params", [{}, {"q": "Loja"}, {"q": "@example.com"}, {"expira": "vencido"}]
)
def test_queries_per_page_do_not_grow_with_the_number_of_rows(support_client, params):
    IntegrationFactory(access_token_expires_at=timezone.now() - timedelta(minutes=1))
    one_row = _changelist_queries(support_client, **params)

    for _ in range(49):
        seller = SellerFactory()
        UserFactory(membership__seller=seller)
        IntegrationFactory(
            seller=seller,
            access_token_expires_at=timezone.now() - timedelta(minutes=1),
            last_error="erro",
            last_error_at=timezone.now(),
        )
    fifty_rows = _changelist_queries(support_client, **params)

    assert Integration.objects.count() == 50
    assert fifty_rows == one_row
    assert one_row <= 8


def test_list_never_decrypts_a_token(support_client, monkeypatch):
    IntegrationFactory.create_batch(3)

    def refuse(*args, **kwargs):
        raise AssertionError("the list decrypted a token")

    monkeypatch.setattr("integrations.crypto.decrypt", refuse)
    assert support_client.get(URL).status_code == 200


def test_the_seller_page_links_to_its_integrations(support_client):
    seller = SellerFactory()
    own = IntegrationFactory(seller=seller)
    IntegrationFactory()

    page = support_client.get(admin_url("hub_seller_change", seller.pk)).content.decode()

    assert f"{URL}?seller__id__exact={seller.pk}" in page
    assert listed(support_client, seller__id__exact=seller.pk) == [own.pk]


@pytest.mark.postgres
def test_the_recent_error_filter_reads_the_errors_index(support_client):
    """Walking every Ativo row to find the few with an error took seconds at a million rows;
    the newest errors come first, read in that order from the index."""
    older = IntegrationFactory(
        last_error="falhou", last_error_at=timezone.now() - timedelta(hours=3)
    )
    newer = IntegrationFactory(last_error="falhou", last_error_at=timezone.now())
    IntegrationFactory()
    with CaptureQueriesContext(connection) as captured:
        response = support_client.get(
            admin_url("integrations_integration_changelist"), {"erro_24h": "sim"}
        )
    assert response.status_code == 200
    assert [row.pk for row in response.context["cl"].result_list] == [newer.pk, older.pk]
    [*_, page] = [q["sql"] for q in captured if '"last_error_at" >=' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {page}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "integration_last_error_idx" in plan, plan
