"""Text a marketplace sends on the callback is never rendered raw (every input: tests/fuzz)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import IntegrationFactory
from tests.sandbox_http import sandbox_http  # noqa: F401

CALLBACK = reverse("integrations:callback", args=["magalu"])
values = st.one_of(st.none(), st.text(max_size=700), st.binary(max_size=64).map(lambda b: b.hex()))


@pytest.mark.usefixtures("sandbox_http")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(description=st.text(max_size=300).filter(lambda text: "\x00" not in text))
def test_error_description_is_never_rendered_raw(seller_client, seller, description):
    """Provider text is never echoed into the page unescaped (it is not shown at all)."""
    integration = IntegrationFactory(seller=seller, expired=True)
    start = seller_client.post(
        reverse("integrations:reactivate_confirm", args=["magalu"]), {"integration": integration.pk}
    )
    state = start["Location"].split("state=")[1].split("&")[0]
    from urllib.parse import unquote

    payload = "<script>alert(1)</script>" + description
    response = seller_client.get(
        f"{CALLBACK}?{urlencode({'state': unquote(state), 'error': '<img src=x onerror=alert(1)>', 'error_description': payload})}"
    )
    landing = seller_client.get(response["Location"]).content.decode()
    assert "<script>alert(1)" not in landing and "<img src=x" not in landing
    integration.delete()
