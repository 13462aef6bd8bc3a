"""The push endpoint fuzzed: any key, method, content type, header and body. Never a 5xx; a
refusal stores nothing; an acknowledgement is an empty body over exactly one kept row at most;
no order is ever written by the endpoint itself."""

import json

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from integrations.orders.models import Order
from integrations.push.models import Notification
from tests.fuzz.strategies import FUZZ, NASTY, segment, values

pytestmark = pytest.mark.django_db

KEYS = ["mercadolivre", "magalu", "shopee"]


def mostly(usual, rest):
    """``usual`` about three times in four, else ``rest``."""
    return st.integers(0, 3).flatmap(lambda n: rest if n == 3 else usual)


SUCCESS = {"mercadolivre": 200, "magalu": 200, "shopee": 204}
METHODS = [*["POST"] * 8, "GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin-1",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "",
]

scalars = st.one_of(
    values,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
# Bodies shaped like each marketplace's, with hostile values where the real ones go.
shaped = st.one_of(
    st.fixed_dictionaries(
        {
            "resource": st.one_of(values, st.integers().map(lambda n: f"/orders/{n}")),
            "user_id": st.one_of(st.integers(min_value=-5, max_value=2**65), values),
            "topic": st.sampled_from(["orders_v2", "orders", "items", *NASTY]),
            "received": values,
            "sent": values,
        }
    ),
    st.fixed_dictionaries(
        {
            "tenant_id": values,
            "data": st.fixed_dictionaries(
                {
                    "status": values,
                    "params": st.fixed_dictionaries({"id": values}),
                    "resource": values,
                }
            ),
        }
    ),
    st.fixed_dictionaries(
        {"code": st.integers(-2, 20), "shop_id": st.integers(-5, 2**65), "data": json_values}
    ),
)
# Well-formed notifications, with the free text hostile: these reach the INSERT.
valid = st.one_of(
    st.fixed_dictionaries(
        {
            "resource": st.integers(1, 10**18).map(lambda n: f"/orders/{n}"),
            "user_id": st.integers(1, 10**18),
            "topic": st.sampled_from(["orders_v2", "orders", "items", "questions"]),
            "received": st.one_of(values, st.datetimes().map(lambda d: d.isoformat())),
            "sent": st.one_of(values, st.datetimes().map(lambda d: d.isoformat() + "Z")),
        }
    ),
    st.fixed_dictionaries(
        {
            "tenant_id": st.one_of(st.uuids().map(str), values),
            "data": st.fixed_dictionaries(
                {
                    "status": st.sampled_from(["new", "approved", "cancelled", "finished"]),
                    "params": st.fixed_dictionaries({"id": st.one_of(st.uuids().map(str), values)}),
                    "resource": st.sampled_from(["orders", "/seller/v1/orders", "deliveries"]),
                }
            ),
        }
    ),
)
bodies = mostly(
    st.one_of(
        valid.map(lambda value: json.dumps(value).encode()),
        valid.map(
            lambda value: json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
        ),
    ),
    st.one_of(
        st.binary(max_size=600),
        json_values.map(lambda value: json.dumps(value).encode()),
        shaped.map(
            lambda value: json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
        ),
        st.just(
            b'{"topic": "orders_v2", "resource": "/orders/1", "user_id": 1, "x": "' + b"9" * 5000
        ),
        st.just(b"\x00\xff\xfe" * 50),
    ),
)
headers = st.dictionaries(
    st.sampled_from(
        [
            "HTTP_AUTHORIZATION",
            "HTTP_X_FORWARDED_FOR",
            "HTTP_USER_AGENT",
            "HTTP_HOST",
            "REMOTE_ADDR",
        ]
    ),
    st.one_of(st.sampled_from(NASTY), st.text(alphabet=st.characters(max_codepoint=255))),
    max_size=3,
)


@pytest.fixture
def quiet(settings):
    settings.PUSH_MAX_BODY_BYTES = 4096
    settings.PUSH_RATE_LIMIT_PER_MINUTE = 1_000_000


@settings(FUZZ, max_examples=200)
@given(
    key=mostly(st.sampled_from(KEYS), st.one_of(st.sampled_from(NASTY), st.text(max_size=20))),
    method=st.sampled_from(METHODS),
    content_type=st.one_of(st.sampled_from(CONTENT_TYPES * 3), st.text(max_size=30)),
    body=bodies,
    extra=headers,
)
def test_any_request_to_the_push_endpoint(client, quiet, key, method, content_type, body, extra):
    kept_before = Notification.objects.count()
    orders_before = Order.objects.count()

    response = client.generic(
        method, f"/push/{segment(key)}/", data=body, content_type=content_type, **extra
    )

    status = response.status_code
    event(f"{method} {key if key in KEYS else 'another key'}: {status}")  # the mix, for review
    assert status < 500, (status, response.content[:300])
    kept = Notification.objects.count() - kept_before
    if status < 300:
        assert method == "POST" and key in KEYS and status == SUCCESS[key]
        assert response.content == b"" and kept in (0, 1)  # 0: a duplicate of one kept before
    else:
        assert kept == 0
        if status not in (405,) and method != "HEAD":
            assert response.content  # a reason, for the sender's logs
    assert Order.objects.count() == orders_before
