"""Development: a person who opens the hub on the stand-ins' origin is sent to the hub's own."""

import pytest

pytestmark = pytest.mark.django_db

PAGE = "/configuracoes/integracoes/marketplaces/?x=1"
NAVIGATION = {"HTTP_HOST": "sandbox.test", "HTTP_SEC_FETCH_MODE": "navigate"}


def test_a_hub_page_opened_on_the_standins_origin_moves_to_the_hubs(client):
    response = client.get(PAGE, **NAVIGATION)

    assert response.status_code == 302
    assert response["Location"] == f"http://hub.test{PAGE}"


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("get", "/sandbox/", NAVIGATION),  # the stand-ins' own pages
        ("get", "/static/hub/favicon.svg", NAVIGATION),
        ("get", PAGE, {"HTTP_HOST": "sandbox.test"}),  # a script or a probe, not a navigation
        ("post", "/push/mercadolivre/", NAVIGATION),  # what the stand-ins push
        ("get", PAGE, {"HTTP_HOST": "hub.test", "HTTP_SEC_FETCH_MODE": "navigate"}),
    ],
)
def test_everything_else_is_left_alone(client, method, path, headers):
    response = getattr(client, method)(path, **headers)

    assert not (response.status_code == 302 and response["Location"].startswith("http://hub.test"))
