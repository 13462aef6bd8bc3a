"""whoami/tenants and the seller API: bearer tokens, the seller-access rule, 401s."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from marketplaces.magalu.standin import issuer
from marketplaces.magalu.standin.directory import DEMO_PERSON_UUID, DEMO_TENANTS
from tests.sandbox.conftest import HOST, LOJA

pytestmark = pytest.mark.django_db

TENANTS_URL = "/sandbox/idmagalu/account/api/v2/whoami/tenants"
ORDERS_URL = "/sandbox/magalu-api/seller/v1/orders"


def _bearer(token: str) -> dict:
    return {**HOST, "Authorization": f"Bearer {token}"}


def _token(tenant_uuid: str = LOJA) -> str:
    return issuer.issue_tokens(tenant_uuid=tenant_uuid, scopes=["open:order-order:read"])[
        "access_token"
    ]


def test_whoami_lists_every_tenant_the_person_acts_for(client):
    response = client.get(TENANTS_URL, headers=_bearer(_token()))

    assert response.status_code == 200
    body = response.json()
    assert [entry["legal_name"] for entry in body] == [
        "Ana Souza",
        "Loja Exemplo Ltda",
        "Exemplo Outlet Comércio Ltda",
        "Casa Exemplo Distribuidora Ltda",
        "Ana Souza Consultoria ME",
        "Loja Exemplo Filial Sul Ltda",
        "Cooperativa Exemplo",
    ]
    assert body[1] == {
        "uuid": LOJA,
        "legal_name": "Loja Exemplo Ltda",
        "email": "loja@exemplo.com.br",
        "is_delegated": False,
        "is_managed": False,
        "document": "CNPJ ••.•••.•••/0001-01",
    }


def test_whoami_is_the_same_whichever_account_was_chosen(client):
    from_person = client.get(TENANTS_URL, headers=_bearer(_token(DEMO_PERSON_UUID))).json()

    assert from_person == client.get(TENANTS_URL, headers=_bearer(_token())).json()


@pytest.mark.parametrize("url", [TENANTS_URL, ORDERS_URL, "/sandbox/magalu-api/seller/v1/x"])
def test_missing_token_is_401(client, url):
    response = client.get(url, headers=HOST)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("url", [TENANTS_URL, ORDERS_URL])
@pytest.mark.parametrize("authorization", ["Bearer nonsense", "Basic abc", "Bearer "])
def test_invalid_token_is_401(client, url, authorization):
    response = client.get(url, headers={**HOST, "Authorization": authorization})

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


@pytest.mark.parametrize("url", [TENANTS_URL, ORDERS_URL])
def test_refresh_token_is_not_an_access_token(client, url):
    body = issuer.issue_tokens(tenant_uuid=LOJA, scopes=[])

    assert client.get(url, headers=_bearer(body["refresh_token"])).status_code == 401


@pytest.mark.parametrize("url", [TENANTS_URL, ORDERS_URL])
def test_expired_token_is_401(client, url):
    with time_machine.travel(datetime(2025, 3, 1, 12, 0, tzinfo=UTC), tick=False) as traveller:
        token = _token()
        traveller.shift(timedelta(seconds=7199))
        assert client.get(url, headers=_bearer(token)).status_code == 200
        traveller.shift(timedelta(seconds=1))
        response = client.get(url, headers=_bearer(token))

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_orders_answers_one_page_and_the_total(client):
    response = client.get(f"{ORDERS_URL}?_limit=1", headers=_bearer(_token()))

    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 1  # a month of history is generated on the first read
    assert body["meta"]["page"]["count"] > 1
    assert body["meta"]["page"]["limit"] == 1
    assert body["meta"]["page"]["offset"] == 0


@pytest.mark.parametrize("tenant_uuid", [DEMO_PERSON_UUID, "d3b07384-d9a0-4c9b-8a7e-5f1e2b000104"])
def test_orders_refuses_accounts_without_seller_access(client, tenant_uuid):
    response = client.get(ORDERS_URL, headers=_bearer(_token(tenant_uuid)))

    assert response.status_code == 403


def test_every_seller_tenant_may_use_the_api(client):
    for tenant in DEMO_TENANTS:
        status = client.get(ORDERS_URL, headers=_bearer(_token(tenant.uuid))).status_code
        assert status == (200 if tenant.seller_access else 403), tenant.legal_name


def test_other_seller_api_paths_are_404_when_authenticated(client):
    response = client.get("/sandbox/magalu-api/seller/v1/portfolios", headers=_bearer(_token()))

    assert response.status_code == 404
