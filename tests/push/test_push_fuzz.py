"""Fuzzing each push parser, Shopee's signature check and the source check: any input ends in a
notice that fits the Notification row or in a PushRejected (a 4xx), never in another exception."""

import json
from ipaddress import ip_address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplaces.base.push import NoticeKind, PushRejected
from tests.fuzz.strategies import FUZZ
from tests.push.notices import (
    magalu,
    magalu_notice,
    ml,
    ml_notice,
    shopee,
    shopee_notice,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
PARSERS = {"mercadolivre": ml, "magalu": magalu, "shopee": shopee}
SHAPES = {
    "mercadolivre": ml_notice(),
    "magalu": magalu_notice(),
    "shopee": shopee_notice(),
}


def _parse_or_refuse(key: str, raw: bytes) -> None:
    parser = PARSERS[key]()
    try:
        notice = parser.parse(raw)
    except PushRejected as refused:
        assert 400 <= refused.status < 500 and str(refused)
        return
    assert notice.kind in NoticeKind
    assert isinstance(notice.account_id, str) and len(notice.account_id) <= 64
    assert isinstance(notice.resource_id, str) and len(notice.resource_id) <= 64
    assert 0 < len(notice.dedup_key) <= 128 and 0 < len(notice.topic) <= 64


@pytest.mark.parametrize("key", sorted(PARSERS))
@FUZZ
@given(raw=st.binary(max_size=300))
def test_fuzz_arbitrary_bytes(key, raw):
    _parse_or_refuse(key, raw)


@pytest.mark.parametrize("key", sorted(PARSERS))
@FUZZ
@given(value=json_values)
def test_fuzz_arbitrary_json(key, value):
    _parse_or_refuse(key, json.dumps(value).encode())


@pytest.mark.parametrize("key", sorted(PARSERS))
@FUZZ
@given(data=st.data())
def test_fuzz_real_shapes_with_arbitrary_fields(key, data):
    notice = json.loads(json.dumps(SHAPES[key]))
    holder = notice["data"] if key == "magalu" else notice
    for name in data.draw(st.lists(st.sampled_from(sorted(holder)), max_size=3)):
        holder[name] = data.draw(json_values)
    _parse_or_refuse(key, json.dumps(notice).encode())


@FUZZ
@given(raw=st.binary(max_size=200), signature=st.text(max_size=80), url=st.text(max_size=40))
def test_fuzz_shopee_verify(raw, signature, url):
    try:
        shopee().verify(url=url, headers={"Authorization": signature}, body=raw)
    except PushRejected as refused:
        assert refused.status == 401
    else:
        assert signature.strip().lower() == signature(raw, url=url)


@FUZZ
@given(address=st.text(max_size=50) | st.ip_addresses().map(str))
def test_fuzz_source_check(address):
    parser = ml(push_sources=("54.88.218.97/32",))
    try:
        parser.check_source(address)
    except PushRejected as refused:
        assert refused.status == 403
    else:
        peer = ip_address(address.strip())
        assert (getattr(peer, "ipv4_mapped", None) or peer) == ip_address("54.88.218.97")
