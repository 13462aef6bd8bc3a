"""The REST API fuzzed: never a 5xx, every 4xx a pt-BR problem (RFC 9457), never another
seller's row, nothing stored changed; and the seller's API page forms."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.models import ApiKey, WebhookEndpoint
from tests.api.conftest import make_tenant, write_orders
from tests.fuzz.conftest import assert_handled, snapshot
from tests.fuzz.strategies import FUZZ, NASTY, encode, params

pytestmark = pytest.mark.postgres

PATHS = ["/api/v1/integrations", "/api/v1/orders", "/api/v1/events", "/api/v1/webhooks"]
ORDER_PARAMS = ["cursor", "limit", "account", "marketplace", "status", "created_from", "created_to"]


@pytest.fixture
def world(db, settings):
    settings.API_SETTLE_SECONDS = 0
    settings.API_THROTTLE_PER_MINUTE = 100_000
    mine, theirs = make_tenant(), make_tenant()
    write_orders(mine.integration, range(3))
    write_orders(theirs.integration, range(50, 53))
    return mine, theirs


@FUZZ
@given(data=st.data())
def test_the_api_with_any_query(client, world, data):
    mine, theirs = world
    path = data.draw(st.sampled_from(PATHS))
    query = encode(data.draw(params(ORDER_PARAMS)))
    before = snapshot()

    response = client.get(path, QUERY_STRING=query, HTTP_AUTHORIZATION=f"Bearer {mine.key}")

    assert response.status_code < 500
    if response.status_code >= 400 and response["Content-Type"].startswith("text/html"):
        assert_handled(response)  # the hub's own NUL refusal, before any view: pt-BR HTML
    elif response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == response.status_code and body["title"] and body["detail"]
    else:
        text = response.content.decode()
        assert str(theirs.integration.public_id) not in text
    assert snapshot() == before


@FUZZ
@given(header=st.one_of(st.sampled_from(NASTY), st.text(alphabet=st.characters(max_codepoint=255))))
def test_any_authorization_header(client, world, header):
    response = client.get("/api/v1/orders", HTTP_AUTHORIZATION=header)

    assert response.status_code in (401, 403) or response.status_code < 300
    if response.status_code == 401:
        assert response.json()["detail"] == "A chave de API é inválida ou foi revogada." or (
            response.json()["title"] == "Autenticação necessária"
        )


@FUZZ
@given(data=st.data())
def test_the_forms_of_the_api_page(seller_client, data):
    action = data.draw(st.sampled_from(["chaves/nova/", "webhooks/novo/"]))
    body = encode(data.draw(params(["name", "scopes", "url", "events", "description"])))
    keys, endpoints = ApiKey.objects.count(), WebhookEndpoint.objects.count()

    response = seller_client.post(
        f"/configuracoes/api/{action}", body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert (ApiKey.objects.count(), WebhookEndpoint.objects.count()) == (keys, endpoints)
        assert_handled_form(response)


def assert_handled_form(response) -> None:
    """The form's own pt-BR errors, or the hub's refusal of a NUL before any view."""
    html = response.content.decode()
    if 'role="alert"' not in html:
        assert_handled(response)
