"""One seller never sees another's data, on every endpoint, even naming the other's account."""

import pytest

from api.services.endpoints import endpoint_create
from integrations.services.events import event_record
from tests.api.conftest import api_get, write_orders

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def two_sellers(tenant, other_tenant):
    for owner, numbers in ((tenant, range(3)), (other_tenant, range(100, 104))):
        write_orders(owner.integration, numbers)
        event_record(integration=owner.integration, kind="refreshed")
        endpoint_create(
            seller=owner.seller, url="https://example.com/hook", events=["orders.silent"]
        )
    return tenant, other_tenant


@pytest.mark.parametrize(
    "path", ["/api/v1/integrations", "/api/v1/orders", "/api/v1/events", "/api/v1/webhooks"]
)
def test_every_endpoint_shows_only_the_keys_seller(client, two_sellers, path):
    mine, theirs = two_sellers

    results = api_get(client, mine.key, path).json()["results"]
    other_results = api_get(client, theirs.key, path).json()["results"]

    assert results and other_results
    ids = {str(item["id"]) for item in results}
    assert not ids & {str(item["id"]) for item in other_results}
    for item in results:
        if "account" in item:
            assert item["account"] == str(mine.integration.public_id)


@pytest.mark.parametrize("path", ["/api/v1/orders", "/api/v1/events"])
def test_filtering_by_another_sellers_account_finds_nothing(client, two_sellers, path):
    mine, theirs = two_sellers

    response = api_get(client, mine.key, path, account=str(theirs.integration.public_id))

    assert response.status_code == 200
    assert response.json()["results"] == []
