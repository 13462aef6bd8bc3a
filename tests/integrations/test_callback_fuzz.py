"""Whatever lands on the callback, the hub answers with a redirect and changes nothing."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.models import AuthorizationAttempt, Integration
from integrations.sandbox import faults
from tests.factories import IntegrationFactory
from tests.sandbox_http import sandbox_http  # noqa: F401

CALLBACK = reverse("integrations:callback", args=["magalu"])
values = st.one_of(st.none(), st.text(max_size=700), st.binary(max_size=64).map(lambda b: b.hex()))


@pytest.mark.usefixtures("sandbox_http")
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=values, state=values, error=values, description=values, iss=values)
def test_fuzzed_callback_never_5xx_nor_changes_a_row(
    seller_client, seller, code, state, error, description, iss
):
    integration = IntegrationFactory(seller=seller, expired=True)
    before = list(Integration.objects.values().order_by("pk"))
    params = {
        name: value
        for name, value in {
            "code": code,
            "state": state,
            "error": error,
            "error_description": description,
            "iss": iss,
        }.items()
        if value is not None
    }
    response = seller_client.get(f"{CALLBACK}?{urlencode(params)}")
    assert response.status_code == 302
    landing = seller_client.get(response["Location"])
    assert landing.status_code < 500
    assert list(Integration.objects.values().order_by("pk")) == before
    assert faults.token_requests() == 0
    assert not AuthorizationAttempt.objects.filter(
        outcome=AuthorizationAttempt.Outcome.SUCCESS
    ).exists()
    integration.delete()


@pytest.mark.usefixtures("sandbox_http")
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(description=st.text(max_size=300))
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
