"""Driving the Shopee stand-in's pages as a seller would: sign in with the shop's login (signing
out whoever else is signed in) and "Confirm Authorization" (or cancel)."""

from urllib.parse import urlsplit

from django.urls import reverse

from marketplaces.shopee.standin.directory import DEMO_PASSWORD
from tests.sandbox_http import DEFAULT_BASE_URL

_REDIRECTS = {301, 302, 303, 307, 308}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _csrf(response) -> str:
    text = response.content.decode()
    marker = 'name="csrfmiddlewaretoken" value="'
    start = text.index(marker) + len(marker)
    return text[start : text.index('"', start)]


def shopee_consent(client, authorize_url: str, login: str, *, cancel: bool = False) -> str:
    """The callback URL the stand-in sends the browser back to."""
    host = urlsplit(authorize_url).netloc or urlsplit(DEFAULT_BASE_URL).netloc
    response = client.get(_path(authorize_url), headers={"host": host})
    for _step in range(10):
        if response.status_code in _REDIRECTS:
            location = response["Location"]
            if urlsplit(location).netloc not in ("", host):
                return location
            response = client.get(_path(location), headers={"host": host})
            continue
        assert response.status_code == 200, response.content.decode()[:1000]
        match = response.resolver_match
        path, rid = response.request["PATH_INFO"], match.kwargs["rid"]
        if match.url_name == "signin":
            data = {"login": login, "password": DEMO_PASSWORD}
        elif f'class="sbx-who">{login}<' not in response.content.decode():
            path, data = reverse("sandbox:shopee:logout"), {"rid": rid}
        else:
            data = {"action": "deny" if cancel else "allow"}
        data["csrfmiddlewaretoken"] = _csrf(response)
        response = client.post(path, data, headers={"host": host})
    raise AssertionError("The Shopee stand-in did not reach the callback.")
