"""The OpenAPI 3 schema validates, and the documentation page works without any script."""

import pytest
import yaml
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)  # drf-spectacular's validation against the OpenAPI 3.0 JSON schema
    assert set(schema["paths"]) == {
        "/api/v1/integrations", "/api/v1/orders", "/api/v1/events", "/api/v1/webhooks"
    }  # fmt: skip
    assert schema["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
    orders = schema["paths"]["/api/v1/orders"]["get"]
    assert {p["name"] for p in orders["parameters"]} >= {
        "cursor", "limit", "account", "marketplace", "status", "created_from", "created_to"
    }  # fmt: skip


def test_the_documentation_page_lists_every_endpoint_without_scripts(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    for path in ("/api/v1/integrations", "/api/v1/orders", "/api/v1/events"):
        assert f"GET {path}" in html
    assert "Permissão necessária: orders:read" in html
    assert "cdn" not in html.lower() and "<script" not in html.split("</header>")[-1]
