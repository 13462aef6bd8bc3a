"""The notices' pages fuzzed: never a 5xx, another user's notice never opened, bad preferences
change nothing."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from integrations.notices.models import EmailOptOut, Notice, Topic
from tests.factories import UserFactory
from tests.fuzz.conftest import assert_handled
from tests.fuzz.strategies import FUZZ, encode, headers, params, values
from tests.notices.test_views import make_notice

pytestmark = pytest.mark.postgres

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def world(seller_user):
    return {"mine": make_notice(seller_user), "theirs": make_notice(UserFactory())}


def _opt_outs() -> list:
    return list(EmailOptOut.objects.order_by("pk").values())


@FUZZ
@given(data=st.data())
def test_the_list(seller_client, world, data):
    query = encode(data.draw(params(["pagina"])))
    response = seller_client.get(reverse("notices:list"), QUERY_STRING=query, **data.draw(headers))
    assert_handled(response)


@FUZZ
@given(data=st.data())
def test_opening_any_id(seller_client, world, data):
    pk = data.draw(st.sampled_from([world["mine"].pk, world["theirs"].pk]) | st.integers(1, 2**62))
    response = seller_client.get(reverse("notices:open", args=[pk]))
    assert_handled(response)
    if pk == world["theirs"].pk:
        assert response.status_code == 404
    assert Notice.objects.get(pk=world["theirs"].pk).read_at is None


@FUZZ
@given(body=params(["receive", "csrfmiddlewaretoken"]))
def test_preferences_with_anything(seller_client, world, body):
    before = _opt_outs()
    response = seller_client.post(reverse("notices:preferences"), encode(body), content_type=FORM)
    assert_handled(response)
    chosen = [value for name, value in body if name == "receive"]
    if response.status_code >= 400:
        assert _opt_outs() == before
    elif response.status_code == 302:
        assert set(chosen) <= set(Topic.values)


@FUZZ
@given(body=params(["csrfmiddlewaretoken"]), value=values)
def test_mark_all_read_with_anything(seller_client, world, body, value):
    response = seller_client.post(
        reverse("notices:mark_all_read"), encode([*body, ("x", value)]), content_type=FORM
    )
    assert_handled(response)
    assert Notice.objects.get(pk=world["theirs"].pk).read_at is None
