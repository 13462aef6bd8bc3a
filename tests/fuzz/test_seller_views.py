"""Every seller page and the OAuth callback, fuzzed: never a 5xx, nothing stored changes."""

import pytest
from django.urls import reverse
from hypothesis import assume, given
from hypothesis import strategies as st

from hub.request_values import parse_id
from tests.factories import IntegrationFactory, SellerFactory
from tests.fuzz.conftest import assert_handled, snapshot
from tests.fuzz.strategies import FUZZ, encode, headers, params, values

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("sandbox_http")]

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def world(seller):
    """The seller's own integrations and another seller's, so ids exist to be guessed at."""
    mine = [
        IntegrationFactory(seller=seller),
        IntegrationFactory(seller=seller, expired=True),
    ]
    theirs = IntegrationFactory(seller=SellerFactory(), expired=True)
    return {"mine": mine, "theirs": theirs, "ids": {i.pk for i in [*mine, theirs]}}


GET_PAGES = [
    ("integrations:marketplaces", [], ["integracao", "page"]),
    ("integrations:reactivate", [], ["marketplace"]),
    ("integrations:reactivate_confirm", ["magalu"], ["integracao"]),
    ("integrations:connect", ["magalu"], []),
    ("integrations:authorization_invalid", [], ["reason"]),
    ("integrations:connect_choose", [], []),
    ("orders:list", [], ["marketplace", "conta", "status", "de", "ate", "pagina"]),
]


@pytest.mark.parametrize(("name", "args", "known"), GET_PAGES, ids=[p[0] for p in GET_PAGES])
@FUZZ
@given(data=st.data())
def test_get_pages(seller_client, world, name, args, known, data):
    before = snapshot()
    query = encode(data.draw(params(known)))
    extra = data.draw(headers)

    response = seller_client.get(reverse(name, args=args), QUERY_STRING=query, **extra)

    assert_handled(response)
    if response.status_code == 200:
        assert "no-store" in response.get("Cache-Control", "")
    assert snapshot() == before


@FUZZ
@given(data=st.data())
def test_history_of_any_id(seller_client, world, data):
    pk = data.draw(st.sampled_from(sorted(world["ids"])) | st.integers(1, 2**62))
    response = seller_client.get(
        reverse("integrations:history", args=[pk]), QUERY_STRING=encode(data.draw(params([])))
    )

    assert_handled(response)
    if pk == world["theirs"].pk:
        assert response.status_code in (400, 404)  # never another seller's page


@FUZZ
@given(value=values, extra=params(["integration", "csrfmiddlewaretoken"]))
def test_reactivate_post_with_anything_but_one_of_my_expired_ids(
    seller_client, world, value, extra
):
    assume(parse_id(value) not in {i.pk for i in world["mine"]})
    before = snapshot()

    response = seller_client.post(
        reverse("integrations:reactivate_confirm", args=["magalu"]),
        encode([("integration", value), *extra]),
        content_type=FORM,
    )

    assert_handled(response)
    assert 400 <= response.status_code < 500
    assert snapshot() == before


@FUZZ
@given(body=params(["confirmado", "integration"]))
def test_disconnect_another_sellers_or_a_missing_integration(seller_client, world, body):
    before = snapshot()
    for pk in (world["theirs"].pk, 2**62):
        response = seller_client.post(
            reverse("integrations:disconnect", args=[pk]), encode(body), content_type=FORM
        )
        assert response.status_code in (400, 404)
        assert_handled(response)
    assert snapshot() == before


@FUZZ
@given(body=params(["code", "state"]))
def test_seller_pages_refuse_unknown_methods(seller_client, world, body):
    for name, args in (("integrations:marketplaces", []), ("integrations:reactivate", [])):
        response = seller_client.put(reverse(name, args=args), encode(body), content_type=FORM)
        assert response.status_code == 405


CALLBACK_PARAMS = ["code", "state", "error", "error_description", "iss"]


@FUZZ
@given(pairs=params(CALLBACK_PARAMS), extra=headers)
def test_callback_with_anything(seller_client, world, pairs, extra):
    before = snapshot()

    response = seller_client.get(
        reverse("integrations:callback", args=["magalu"]), QUERY_STRING=encode(pairs), **extra
    )

    assert_handled(response)
    if response.status_code == 302:
        assert_handled(seller_client.get(response["Location"]))
    assert snapshot() == before


@FUZZ
@given(error=values, description=values)
def test_a_valid_state_with_any_error_changes_no_integration(
    seller_client, world, error, description
):
    """The attempt ends (that is its job), the integration does not change, and text the
    marketplace sent (NUL included) never breaks the write."""
    expired = world["mine"][1]
    start = seller_client.post(
        reverse("integrations:reactivate_confirm", args=["magalu"]), {"integration": expired.pk}
    )
    state = start["Location"].split("state=")[1].split("&")[0]
    integrations_before = snapshot()["Integration"]

    response = seller_client.get(
        reverse("integrations:callback", args=["magalu"]),
        QUERY_STRING=f"state={state}&"
        + encode([("error", error), ("error_description", description)]),
    )

    assert_handled(response)
    assert snapshot()["Integration"] == integrations_before


@FUZZ
@given(pairs=params(["username", "password", "next"]))
def test_login_with_anything(client, world, pairs):
    before = snapshot()

    response = client.post(reverse("login"), encode(pairs), content_type=FORM)

    assert_handled(response)
    assert snapshot() == before
