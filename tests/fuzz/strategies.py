"""Hostile input for every view: Unicode digits, NUL, lone surrogates, huge values, duplicates,
markup, and plain random text; sent as raw query strings, form bodies and header values."""

from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

NASTY = [
    "²",
    "①",
    "٣",
    "\uff11",  # FULLWIDTH DIGIT ONE
    "\x00",
    "a\x00b",
    "\ud800",
    "\udfff",
    "9" * 40,
    "-1",
    "0",
    " 1",
    "1 ",
    "1.0",
    "1e9",
    "",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "%00",
    "../../etc/passwd",
    "'; DROP TABLE integrations_integration; --",
    "x" * 5000,
]

values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=80),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=6),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def params(known: list[str]):
    """Pairs of (name, value), names mostly the view's own, repeated at times."""
    names = (
        st.one_of(st.sampled_from(known), st.text(max_size=12)) if known else st.text(max_size=12)
    )
    return st.lists(st.tuples(names, values), max_size=4)


def segment(text: str) -> str:
    """Percent-encoded, surrogates as the bytes a browser never sends."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def encode(pairs) -> str:
    """A raw query string or form body."""
    return "&".join(f"{segment(name)}={segment(value)}" for name, value in pairs)


headers = st.dictionaries(
    st.sampled_from(
        ["HTTP_REFERER", "HTTP_USER_AGENT", "HTTP_ACCEPT_LANGUAGE", "HTTP_X_FORWARDED_FOR"]
    ),
    st.one_of(st.sampled_from(NASTY), st.text(alphabet=st.characters(max_codepoint=255))),
    max_size=2,
)
