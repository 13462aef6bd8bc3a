import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import IntegrationFactory, SellerFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("integrations:marketplaces")


def _rows(html: str) -> list[list[str]]:
    """The table's rows as lists of cell texts (tags stripped, whitespace folded)."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr.*?</tr>", body, flags=re.S):
        cells = re.findall(r"<td.*?>(.*?)</td>", row, flags=re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells])
    return rows


def test_login_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_status_is_the_third_column_with_text_and_colour(seller_client, seller):
    IntegrationFactory(seller=seller, account_name="Loja Ativa Ltda")
    IntegrationFactory(seller=seller, account_name="Loja Vencida Ltda", expired=True)
    response = seller_client.get(URL)
    html = response.content.decode()
    rows = {row[1]: row for row in _rows(html)}
    assert rows["Loja Ativa Ltda"][0] == "Magazine Luiza"
    assert rows["Loja Ativa Ltda"][2] == "Ativo Renovação automática"
    assert rows["Loja Vencida Ltda"][2].startswith("Token Expirado ")
    assert (
        'class="status status--active"><span class="dot dot--active" aria-hidden="true"></span>Ativo'
        in html
    )
    assert (
        'class="status status--expired"><span class="dot dot--expired" aria-hidden="true"></span>Token Expirado'
        in html
    )
    assert "Ativar token expirado" in html


def test_banner_only_while_an_integration_is_expired(seller_client, seller):
    IntegrationFactory(seller=seller)
    assert "token expirado</strong>" not in seller_client.get(URL).content.decode()
    IntegrationFactory(seller=seller, expired=True)
    assert "token expirado</strong>" in seller_client.get(URL).content.decode()


def test_times_are_shown_in_sao_paulo(seller_client, seller):
    from datetime import UTC, datetime

    IntegrationFactory(seller=seller, last_renewed_at=datetime(2026, 1, 15, 15, 30, tzinfo=UTC))
    html = seller_client.get(URL).content.decode()
    assert 'title="15/01/2026 12:30"' in html  # UTC-3


def test_other_sellers_integrations_never_appear(seller_client, seller):
    IntegrationFactory(seller=seller, account_name="Minha Loja Ltda")
    IntegrationFactory(seller=SellerFactory(), account_name="Loja Alheia Ltda", expired=True)
    html = seller_client.get(URL).content.decode()
    assert "Minha Loja Ltda" in html
    assert "Loja Alheia Ltda" not in html
    assert "token expirado</strong>" not in html  # the other seller's expiry raises no banner here


def test_another_sellers_integration_is_a_404(seller_client):
    foreign = IntegrationFactory(seller=SellerFactory(), expired=True)
    url = reverse("integrations:reactivate_confirm", args=["magalu"])
    assert seller_client.post(url, {"integration": foreign.pk}).status_code == 404


def test_user_without_seller_is_refused(client, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("staff-only", password="x"))
    response = client.get(URL)
    assert response.status_code == 403
    assert "não está vinculado a nenhuma empresa" in response.content.decode()


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_integrations(seller_client, seller):
    IntegrationFactory(seller=seller)
    with_one = _count_queries(seller_client)
    IntegrationFactory.create_batch(49, seller=seller)
    IntegrationFactory.create_batch(5, seller=seller, expired=True)
    assert _count_queries(seller_client) == with_one


def test_login_page_is_portuguese_and_logs_in(client, db):
    user = UserFactory()
    page = client.get(reverse("login")).content.decode()
    assert "Usuário" in page and "Senha" in page and "Entrar" in page
    bad = client.post(reverse("login"), {"username": user.username, "password": "errada"})
    assert "Usuário ou senha inválidos." in bad.content.decode()
    ok = client.post(
        reverse("login"), {"username": user.username, "password": "senha-de-teste-123"}
    )
    assert ok.status_code == 302 and ok["Location"] == URL


def test_logout_is_post_only(seller_client):
    assert seller_client.get(reverse("logout")).status_code == 405
    assert seller_client.post(reverse("logout")).status_code == 302
