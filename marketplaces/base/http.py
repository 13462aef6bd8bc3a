"""HTTP plumbing shared by the providers: one Session per provider, URLs, Retry-After.

Nothing here knows OAuth; ``oauth2`` builds on it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import requests
from requests.utils import get_environ_proxies
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

_DELTA_SECONDS = re.compile(r"[0-9]+")


def new_session(urls: Iterable[str]) -> requests.Session:
    """A provider's one Session, with what requests takes from the environment read once, here.

    Left to itself (``trust_env``), requests re-reads the proxy variables on every call (the
    largest item in a keeper worker's CPU profile) and looks in ~/.netrc for credentials it would
    add to the call. Proxies (honouring NO_PROXY) and a CA bundle still come from the environment.
    """
    session = requests.Session()
    # One instance serves every seller: never carry a cookie from one call to the next.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    session.trust_env = False
    for url in urls:
        parts = urlsplit(url)
        proxies = get_environ_proxies(url)
        if proxy := proxies.get(parts.scheme) or proxies.get("all"):
            session.proxies[f"{parts.scheme}://{parts.hostname}"] = proxy
    ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    session.verify = ca_bundle or True
    return session


def may_have_been_sent(exc: requests.RequestException) -> bool:
    """Whether the request may have reached the server before this error.

    A connection that was never made (refused, DNS, connect timeout, TLS handshake) sent
    nothing; a read timeout, a reset or a truncated answer came after the request left.
    """
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.SSLError):
        return False
    if isinstance(exc, requests.exceptions.ProxyError):
        return False  # the proxy itself refused the tunnel
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    return not isinstance(reason, NewConnectionError | NameResolutionError | ConnectTimeoutError)


def with_query(url: str, params: Mapping[str, str]) -> str:
    """Append params to url, keeping its own query; spaces as %20 and "/" and ":" escaped."""
    parts = urlsplit(url)
    query = urlencode(params, quote_via=quote, safe="")
    if parts.query:
        query = f"{parts.query}&{query}"
    return urlunsplit(parts._replace(query=query))


def join_url(base: str, path: str) -> str:
    return f"{base.rstrip('/')}/{path.lstrip('/')}"


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:  # requests' JSONDecodeError, and undecodable bytes
        return None


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait from Retry-After: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)  # an HTTP-date is always GMT
    return max(0.0, (when - now).total_seconds())
