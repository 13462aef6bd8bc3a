"""In-process HTTP for the local marketplace stand-ins.

``requests`` calls to the sandbox base URL are answered by the Django app in this process (through
``django.test.Client``), so a test using the plain ``db`` fixture sees the same rows as the views.
Other URLs go to the usual adapters untouched (``responses`` keeps working for them).

    from tests.sandbox_http import install, sandbox_consent

    with install() as sandbox:          # or the ``sandbox_http`` fixture
        ...                             # code under test calls http://sandbox.test/...
        callback = sandbox_consent(client, authorize_url, tenant_uuid)
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from unittest import mock
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from urllib3.exceptions import MaxRetryError, NewConnectionError

from marketplaces.magalu.standin.directory import (
    DEMO_PERSON_EMAIL,
    DEMO_PERSON_PASSWORD,
    DEMO_TENANTS,
)
from marketplaces.mercadolivre.standin.directory import DEMO_PASSWORD as ML_DEMO_PASSWORD

DEFAULT_BASE_URL = "http://sandbox.test"
SIMULATE_HEADER = "X-Sandbox-Simulate"
# The first legal entity with seller access: what ``sandbox_consent`` picks when told nothing.
DEFAULT_TENANT_UUID = next(t.uuid for t in DEMO_TENANTS if t.is_legal_entity and t.seller_access)


@dataclass(frozen=True)
class SandboxCall:
    """One call the adapter served: method, path (no query string: it may hold a code), status."""

    method: str
    path: str
    status: int


class SandboxAdapter(BaseAdapter):
    """A ``requests`` transport handing requests for ``base_url`` to the Django app in-process."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.calls: list[SandboxCall] = []

    def handles(self, url: str) -> bool:
        url, base = url.lower(), self.base_url.lower()
        return url == base or url.startswith(base + "/") or url.startswith(base + "?")

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        parts = urlsplit(request.url)
        headers = {key: value for key, value in request.headers.items()}
        content_type = _pop(headers, "Content-Type") or "application/octet-stream"
        _pop(headers, "Content-Length")
        path = parts.path or "/"
        if parts.query:
            path = f"{path}?{parts.query}"
        started = time.monotonic()
        django_response = Client(enforce_csrf_checks=True).generic(
            request.method,
            path,
            data=_body_bytes(request.body),
            content_type=content_type,
            secure=parts.scheme == "https",
            headers=headers,
            HTTP_HOST=parts.netloc,
            SERVER_NAME=parts.hostname or "sandbox.test",
            SERVER_PORT=str(parts.port or (443 if parts.scheme == "https" else 80)),
        )
        self.calls.append(SandboxCall(request.method, parts.path, django_response.status_code))
        read_timeout = timeout[1] if isinstance(timeout, tuple) else timeout
        if read_timeout is not None and time.monotonic() - started > read_timeout:
            # The server took longer than the client waits: it acted, the client gave up.
            raise requests.ReadTimeout("Read timed out (sandbox).", request=request)
        simulated = django_response.headers.get(SIMULATE_HEADER, "")
        if simulated == "read-timeout":
            raise requests.ReadTimeout("Simulated read timeout (sandbox).", request=request)
        if simulated == "connect-error":
            # As urllib3 reports a refused connection: nothing was sent.
            refused = NewConnectionError(None, "Simulated connection refused (sandbox).")
            raise requests.ConnectionError(
                MaxRetryError(None, request.url, refused), request=request
            )
        return _to_requests_response(django_response, request, adapter=self)

    def close(self):
        """Nothing to release: no sockets are opened."""


def _pop(headers: dict[str, str], name: str) -> str | None:
    for key in list(headers):
        if key.lower() == name.lower():
            return headers.pop(key)
    return None


def _body_bytes(body) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    if hasattr(body, "read"):
        return _body_bytes(body.read())
    return b"".join(_body_bytes(chunk) for chunk in body)


def _to_requests_response(django_response, request, *, adapter) -> requests.Response:
    if getattr(django_response, "streaming", False):
        content = b"".join(django_response.streaming_content)
    else:
        content = django_response.content
    response = requests.Response()
    response.status_code = django_response.status_code
    response.reason = django_response.reason_phrase
    response.headers = CaseInsensitiveDict(dict(django_response.headers))
    for cookie in django_response.cookies.values():
        response.headers["Set-Cookie"] = cookie.output(header="").strip()
    response._content = content
    response._content_consumed = True
    response.raw = io.BytesIO(content)
    response.encoding = get_encoding_from_headers(response.headers)
    response.url = request.url
    response.request = request
    response.connection = adapter
    return response


@contextmanager
def install(
    session_or_none: requests.Session | None = None, base_url: str = DEFAULT_BASE_URL
) -> Iterator[SandboxAdapter]:
    """Serve ``base_url`` in-process: on one session, or on every ``requests.Session`` (None)."""
    adapter = SandboxAdapter(base_url)
    if session_or_none is not None:
        prefix = adapter.base_url + "/"
        previous = session_or_none.adapters.get(prefix)
        session_or_none.mount(prefix, adapter)
        try:
            yield adapter
        finally:
            if previous is None:
                session_or_none.adapters.pop(prefix, None)
            else:
                session_or_none.mount(prefix, previous)
        return

    original_get_adapter = requests.Session.get_adapter

    def get_adapter(self, url):
        if adapter.handles(url):
            return adapter
        return original_get_adapter(self, url)

    with mock.patch.object(requests.Session, "get_adapter", get_adapter):
        yield adapter


@pytest.fixture
def sandbox_http(db) -> Iterator[SandboxAdapter]:
    """Every ``requests`` call to http://sandbox.test is served in-process by the stand-in."""
    with install() as adapter:
        yield adapter


# --- Driving the consent pages with a Django test client -----------------------------------------

_REDIRECTS = {301, 302, 303, 307, 308}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _csrf_token(response) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    text = response.content.decode()
    start = text.find(marker)
    if start < 0:
        return ""
    start += len(marker)
    return text[start : text.index('"', start)]


def sandbox_consent(
    client, authorize_url: str, account: str | None = None, *, cancel: bool = False
) -> str:
    """Sign in on the stand-in the URL points at, pick ``account`` (or cancel) and return the
    callback URL.

    ID Magalu: sign in as the demo person and choose the tenant ``account`` (a uuid; default the
    first Pessoa Jurídica with seller access). Mercado Livre: the login is the account, so sign in
    as ``account`` (a nickname; default LOJAEXEMPLO), signing out first whoever else is signed in,
    and "Permitir". ``client`` is a Django test client (the hub's own, if you like: the stand-ins
    only add their own ``sandbox.*`` keys to the session). When the stand-in refuses the request
    outright (bad client_id or redirect_uri: no redirect), this raises AssertionError.
    """
    parts = urlsplit(authorize_url)
    host = parts.netloc or urlsplit(DEFAULT_BASE_URL).netloc
    options = {"headers": {"host": host}, "secure": parts.scheme == "https"}

    def on_sandbox(url: str) -> bool:
        netloc = urlsplit(url).netloc
        return not netloc or netloc == host

    response = client.get(_path(authorize_url), **options)
    for _step in range(10):
        if response.status_code in _REDIRECTS:
            location = response["Location"]
            if not on_sandbox(location):
                return location
            response = client.get(_path(location), **options)
            continue
        if response.status_code != 200:
            raise AssertionError(
                f"The sandbox answered {response.status_code} at {response.request['PATH_INFO']}:"
                f" {response.content.decode()[:2000]}"
            )
        match = response.resolver_match
        stand_in, page = match.namespace.rpartition(":")[2], match.url_name
        path, data = response.request["PATH_INFO"], _form(stand_in, page, account, cancel, response)
        if data is None:  # signed in as someone else on Mercado Livre: sign out, keep the request
            path, data = reverse("sandbox:mercadolivre:logout"), {"rid": match.kwargs["rid"]}
        data["csrfmiddlewaretoken"] = _csrf_token(response)
        response = client.post(path, data, **options)
        if response.status_code == 200:
            raise AssertionError(f"The sandbox {page} page refused the form: {response.content!r}")
    raise AssertionError("The sandbox consent flow did not reach the callback.")


ML_DEFAULT_LOGIN = "LOJAEXEMPLO"


def _form(stand_in: str, page: str, account: str | None, cancel: bool, response) -> dict | None:
    """What the person types on this page; None to sign out first."""
    if stand_in == "magalu" and page == "signin":
        return {"email": DEMO_PERSON_EMAIL, "password": DEMO_PERSON_PASSWORD}
    if stand_in == "magalu" and page == "choose":
        if cancel:
            return {"action": "cancel"}
        return {"action": "continue", "tenant": account or DEFAULT_TENANT_UUID}
    if stand_in == "mercadolivre" and page == "signin":
        return {"login": account or ML_DEFAULT_LOGIN, "password": ML_DEMO_PASSWORD}
    if stand_in == "mercadolivre" and page == "consent":
        signed_in = f'class="sbx-who">{account or ML_DEFAULT_LOGIN}<'
        if signed_in not in response.content.decode():
            return None
        return {"action": "deny" if cancel else "allow"}
    raise AssertionError(f"Unexpected sandbox page {stand_in}:{page}.")
