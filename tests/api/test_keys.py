"""API keys: created, hashed at rest, scoped, revoked; every refusal a pt-BR problem."""

import pytest
from django.db import connection

from api.models import ApiKey, Scope
from api.services.keys import api_key_create, api_key_revoke
from tests.api.conftest import api_get, make_tenant

pytestmark = pytest.mark.django_db


def test_a_key_is_shown_once_and_stored_only_hashed(seller):
    key, plaintext = api_key_create(seller=seller, name="ERP", scopes=[Scope.ORDERS_READ])

    assert plaintext.startswith(f"hub_{key.prefix}_") and len(plaintext) > 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM api_apikey WHERE id = %s", [key.pk])
        row = cursor.fetchone()
    assert not any(plaintext in str(value) for value in row)
    secret_part = plaintext.split("_", 2)[2]
    assert not any(secret_part in str(value) for value in row)
    assert key.hashed_key != plaintext and len(key.hashed_key) == 64


def test_a_key_reads_and_records_its_last_use(client, tenant):
    response = api_get(client, tenant.key, "/api/v1/integrations")

    assert response.status_code == 200
    assert ApiKey.objects.get(seller=tenant.seller).last_used_at is not None


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer hub_00000000_nope", "Basic dXNlcjpwYXNz", "Bearer hub_x_y_z"],
)
def test_without_a_valid_key_the_answer_is_a_401_problem(client, tenant, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/orders", **extra)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    body = response.json()
    assert body["status"] == 401 and body["instance"] == "/api/v1/orders"
    assert body["title"] == "Autenticação necessária"


def test_a_wrong_secret_with_a_real_prefix_is_refused(client, tenant):
    prefix = ApiKey.objects.get(seller=tenant.seller).prefix
    response = api_get(client, f"hub_{prefix}_{'A' * 43}", "/api/v1/orders")

    assert response.status_code == 401
    assert response.json()["detail"] == "A chave de API é inválida ou foi revogada."


def test_a_revoked_key_stops_at_once(client, tenant):
    api_key_revoke(key=ApiKey.objects.get(seller=tenant.seller))

    response = api_get(client, tenant.key, "/api/v1/integrations")

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("path", "scope"),
    [
        ("/api/v1/integrations", "integrations:read"),
        ("/api/v1/events", "integrations:read"),
        ("/api/v1/orders", "orders:read"),
        ("/api/v1/webhooks", "webhooks:manage"),
    ],
)
def test_each_endpoint_needs_its_scope(client, path, scope):
    others = [other for other in Scope.values if other != scope]
    tenant = make_tenant(scopes=others)
    allowed = make_tenant(scopes=[scope])

    refused = api_get(client, tenant.key, path)

    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["detail"] == f"Esta chave não tem a permissão {scope}."
    assert api_get(client, allowed.key, path).status_code == 200


def test_requests_beyond_the_rate_are_throttled_per_key(client, settings, tenant):
    settings.API_THROTTLE_PER_MINUTE = 2
    other = make_tenant()
    assert api_get(client, tenant.key, "/api/v1/integrations").status_code == 200
    assert api_get(client, tenant.key, "/api/v1/integrations").status_code == 200

    throttled = api_get(client, tenant.key, "/api/v1/integrations")

    assert throttled.status_code == 429
    assert throttled.json()["title"] == "Muitas requisições"
    assert "Retry-After" in throttled
    assert api_get(client, other.key, "/api/v1/integrations").status_code == 200


def test_only_get_is_allowed(client, tenant):
    response = client.post("/api/v1/orders", HTTP_AUTHORIZATION=f"Bearer {tenant.key}")

    assert response.status_code == 405
    assert response.json()["detail"] == "Este endereço só aceita GET."


def test_an_unknown_api_path_is_a_problem_not_html(client):
    response = client.get("/api/v1/nada")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_key_never_reaches_the_logs(client, tenant, caplog):
    caplog.set_level("DEBUG")
    api_get(client, tenant.key, "/api/v1/orders", cursor="bad")
    api_get(client, tenant.key + "x", "/api/v1/orders")

    assert tenant.key not in caplog.text
