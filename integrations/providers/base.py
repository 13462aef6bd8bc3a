"""The interface every marketplace provider implements, and the shared OAuth 2.0 mechanics.

Providers know nothing of Django: they take a frozen config, talk HTTP through one
``requests.Session`` and answer with plain dataclasses or one of the typed errors below, each
named for what the caller must do. They never retry; callers decide.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum
from http.cookiejar import DefaultCookiePolicy
from typing import Any, ClassVar, Literal, NoReturn
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

import requests
from requests.utils import get_environ_proxies

logger = logging.getLogger(__name__)

DESCRIPTION_MAX_CHARS = 200
_REDACTED = "[redacted]"
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
_DELTA_SECONDS = re.compile(r"[0-9]+")

BodyFormat = Literal["json", "form"]


# --- Errors --------------------------------------------------------------------------------------


class ProviderError(Exception):
    """Base. Message is safe to show operators; never contains token material."""

    def __init__(self, message: str, *, error_code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.error_code = error_code
        self.status = status

    def __str__(self) -> str:
        return self.message


class GrantRevoked(ProviderError):
    """The grant is dead: the seller must reauthorize (invalid_grant, or 400/401 from the token
    endpoint without a recognisable error)."""


class TemporarilyUnavailable(ProviderError):
    """Try again later: timeouts, connection errors, 5xx, 429, unparseable 2xx body."""

    def __init__(
        self,
        message: str,
        *,
        error_code: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        timed_out_after_send: bool = False,
    ):
        super().__init__(message, error_code=error_code, status=status)
        self.retry_after = retry_after
        # True when the request may have reached the server (a read timeout): a refresh token
        # sent that way may already be consumed.
        self.timed_out_after_send = timed_out_after_send


class ProviderMisconfigured(ProviderError):
    """Our own configuration is wrong (invalid_client, unauthorized_client, invalid_scope,
    invalid_request, unsupported_grant_type, a redirect (3xx) from an endpoint, 403/404): an
    operator problem, never the seller's."""


class AccessTokenRejected(ProviderError):
    """The marketplace API answered 401 to the access token."""


# --- Values --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TokenGrant:
    """What the token endpoint granted (RFC 6749 §5.1)."""

    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: datetime
    scopes: frozenset[str]
    token_type: str = "Bearer"  # noqa: S105 (a token type, not a secret)


class TenantKind(StrEnum):
    LEGAL_ENTITY = "legal_entity"
    NATURAL_PERSON = "natural_person"


@dataclass(frozen=True)
class ChosenTenant:
    """The account (store) the seller picked on the consent page."""

    external_id: str | None
    legal_name: str
    email: str
    kind: TenantKind
    has_seller_access: bool


NO_TENANT = ChosenTenant(None, "", "", TenantKind.NATURAL_PERSON, False)


@dataclass(frozen=True, kw_only=True)
class OAuth2Config:
    """Settings every Authorization Code provider needs; a marketplace subclasses it with defaults.

    Frozen and hashable: the registry keeps one provider (one Session) per config.
    """

    client_id: str
    client_secret: str = field(repr=False)
    redirect_uri: str
    scopes: tuple[str, ...]
    authorize_url: str
    token_url: str
    api_url: str
    healthcheck_path: str
    issuer: str = ""  # RFC 9207 issuer identifier; "" when the server names none
    use_pkce: bool = False
    connect_timeout: float = 5.0
    read_timeout: float = 15.0

    def __post_init__(self) -> None:
        # Settings hand us lists (or a space-separated string); keep the config hashable.
        scopes = self.scopes.split() if isinstance(self.scopes, str) else self.scopes
        object.__setattr__(self, "scopes", tuple(scopes))
        object.__setattr__(self, "connect_timeout", float(self.connect_timeout))
        object.__setattr__(self, "read_timeout", float(self.read_timeout))

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)


# --- Interface -----------------------------------------------------------------------------------


class OAuth2Provider(ABC):
    """What the hub asks of a marketplace. Built as ``cls(config)`` by the registry."""

    key: ClassVar[str]
    display_name: ClassVar[str]
    short_name: ClassVar[str]  # as sellers say it ("Seu token Magalu foi atualizado")
    # How the registry builds one: setting f"{settings_prefix}_{FIELD}" for each config field.
    config_class: ClassVar[type[OAuth2Config]]
    settings_prefix: ClassVar[str]

    @property
    @abstractmethod
    def uses_pkce(self) -> bool: ...

    @property
    @abstractmethod
    def issuer(self) -> str:
        """The authorization server's issuer identifier, to check a callback's `iss` (RFC 9207)."""

    @abstractmethod
    def authorization_url(self, *, state: str, code_challenge: str | None = None) -> str: ...

    @abstractmethod
    def exchange_code(self, *, code: str, code_verifier: str | None = None) -> TokenGrant: ...

    @abstractmethod
    def refresh(self, *, refresh_token: str) -> TokenGrant: ...

    @abstractmethod
    def identify_tenant(self, *, grant: TokenGrant) -> ChosenTenant: ...

    @abstractmethod
    def check_access_token(self, *, access_token: str) -> None: ...


class StandardOAuth2Provider(OAuth2Provider, ABC):
    """RFC 6749 Authorization Code client. A marketplace's quirks are the class attributes."""

    scope_separator: ClassVar[str] = " "
    extra_authorization_params: ClassVar[Mapping[str, str]] = {}
    exchange_body_format: ClassVar[BodyFormat] = "form"  # RFC 6749 §4.1.3
    refresh_body_format: ClassVar[BodyFormat] = "form"  # RFC 6749 §6
    # RFC 6749 §5.2 error codes, sorted by what the caller must do.
    grant_revoked_errors: ClassVar[frozenset[str]] = frozenset({"invalid_grant"})
    misconfiguration_errors: ClassVar[frozenset[str]] = frozenset(
        {
            "invalid_client",
            "unauthorized_client",
            "invalid_scope",
            "invalid_request",
            "unsupported_grant_type",
        }
    )
    # §4.1.2.1 codes some servers also send from the token endpoint: never a dead grant.
    transient_errors: ClassVar[frozenset[str]] = frozenset(
        {"temporarily_unavailable", "server_error"}
    )

    def __init__(
        self,
        config: OAuth2Config,
        *,
        session: requests.Session | None = None,
        clock: Callable[[], datetime] | None = None,
    ):
        self.config = config
        self._session = session or _new_session(config)
        self._now = clock or (lambda: datetime.now(UTC))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} client_id={self.config.client_id!r}>"

    @property
    def uses_pkce(self) -> bool:
        return self.config.use_pkce

    @property
    def issuer(self) -> str:
        return self.config.issuer

    def authorization_url(self, *, state: str, code_challenge: str | None = None) -> str:
        params = {
            "client_id": self.config.client_id,
            "redirect_uri": self.config.redirect_uri,
            "scope": self.scope_separator.join(self.config.scopes),
            "response_type": "code",
            **self.extra_authorization_params,
            "state": state,
        }
        if code_challenge:
            # RFC 7636 §4.3: only S256, never "plain".
            params |= {"code_challenge": code_challenge, "code_challenge_method": "S256"}
        return _with_query(self.config.authorize_url, params)

    def exchange_code(self, *, code: str, code_verifier: str | None = None) -> TokenGrant:
        body = {
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
            # Must be byte-identical to the consent URL's (RFC 6749 §4.1.3).
            "redirect_uri": self.config.redirect_uri,
            "code": code,
            "grant_type": "authorization_code",
        }
        if code_verifier:
            body["code_verifier"] = code_verifier
        return self._request_token(
            body, self.exchange_body_format, operation="exchange", secrets=(code, code_verifier)
        )

    def refresh(self, *, refresh_token: str) -> TokenGrant:
        body = {
            "grant_type": "refresh_token",
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
            "refresh_token": refresh_token,
        }
        return self._request_token(
            body, self.refresh_body_format, operation="refresh", secrets=(refresh_token,)
        )

    def check_access_token(self, *, access_token: str) -> None:
        url = _join_url(self.config.api_url, self.config.healthcheck_path)
        self._api_get(url, access_token=access_token, operation="healthcheck")

    def missing_scopes(self, grant: TokenGrant) -> frozenset[str]:
        return frozenset(self.config.scopes) - grant.scopes

    # --- HTTP ------------------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, operation: str, **kwargs: Any) -> requests.Response:
        """One HTTP call: configured timeouts, no redirects, TLS verification left on."""
        try:
            return self._session.request(
                method, url, timeout=self.config.timeout, allow_redirects=False, **kwargs
            )
        except requests.ConnectTimeout as exc:
            raise self._unavailable(operation, "tempo esgotado ao conectar", exc=exc) from None
        except requests.Timeout as exc:
            raise self._unavailable(
                operation, "tempo esgotado aguardando resposta", exc=exc, timed_out_after_send=True
            ) from None
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as exc:
            self._log("integrations.provider.request_failed", operation, error=type(exc).__name__)
            raise ProviderMisconfigured(f"{self.display_name}: URL configurada inválida") from None
        except requests.RequestException as exc:
            raise self._unavailable(operation, "falha de conexão", exc=exc) from None

    def _request_token(
        self,
        body: dict[str, str],
        body_format: BodyFormat,
        *,
        operation: str,
        secrets: Iterable[str | None],
    ) -> TokenGrant:
        payload = {"json": body} if body_format == "json" else {"data": body}
        response = self._send(
            "POST",
            self.config.token_url,
            operation=operation,
            headers={"Accept": "application/json"},
            **payload,
        )
        return self._grant_from(response, operation=operation, secrets=secrets)

    def _grant_from(
        self, response: requests.Response, *, operation: str, secrets: Iterable[str | None]
    ) -> TokenGrant:
        """Map a token endpoint answer to a grant or to an error (RFC 6749 §5.1, §5.2)."""
        status = response.status_code
        self._raise_for_redirect_or_overload(response, operation)
        body = _json_or_none(response)
        error_code, description = _oauth_error(body)
        description = _redact(description, (self.config.client_secret, *secrets))

        def fail(error_class: type[ProviderError], summary: str, **kwargs: Any) -> NoReturn:
            self._log("integrations.provider.token_error", operation, status, error_code)
            message = _message(self.display_name, summary, status, error_code, description)
            raise error_class(message, error_code=error_code, status=status, **kwargs)

        if error_code in self.grant_revoked_errors:
            fail(GrantRevoked, "autorização revogada ou expirada; é preciso autorizar de novo")
        if error_code in self.misconfiguration_errors:
            fail(ProviderMisconfigured, "o servidor recusou a configuração do cliente OAuth")
        if error_code in self.transient_errors:
            fail(
                TemporarilyUnavailable,
                "serviço indisponível",
                retry_after=self._retry_after(response),
            )
        if status in (400, 401):
            fail(GrantRevoked, "autorização recusada; é preciso autorizar de novo")
        if not 200 <= status < 300:
            fail(ProviderMisconfigured, "resposta inesperada do servidor de tokens")
        grant = None if error_code else self._parse_grant(body)
        if grant is None:
            fail(TemporarilyUnavailable, "resposta inválida")
        return grant

    def _parse_grant(self, body: Any) -> TokenGrant | None:
        """A grant from a 2xx body, or None when the provider answered garbage."""
        if not isinstance(body, dict):
            return None
        access_token, refresh_token = body.get("access_token"), body.get("refresh_token")
        if not (isinstance(access_token, str) and access_token):
            return None
        if not (isinstance(refresh_token, str) and refresh_token):
            return None
        expires_in = _number(body.get("expires_in"))
        if expires_in is None:
            return None
        # Magalu sends created_at (Unix seconds, sometimes a string); count from it when present.
        created_at = _number(body.get("created_at"))
        try:
            issued_at = (
                datetime.fromtimestamp(created_at, UTC) if created_at is not None else self._now()
            )
            expires_at = issued_at + timedelta(seconds=expires_in)
        except (OverflowError, OSError, ValueError):
            return None
        token_type = body.get("token_type")
        return TokenGrant(
            access_token=access_token,
            refresh_token=refresh_token,
            expires_at=expires_at,
            scopes=_scopes(body.get("scope")),
            token_type=token_type if isinstance(token_type, str) and token_type else "Bearer",
        )

    def _api_get(self, url: str, *, access_token: str, operation: str) -> requests.Response:
        """GET a bearer-protected resource; 2xx or a typed error."""
        response = self._send(
            "GET",
            url,
            operation=operation,
            headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
        )
        self._raise_for_redirect_or_overload(response, operation)
        status = response.status_code
        if status == 401:
            self._log("integrations.provider.api_error", operation, status)
            raise AccessTokenRejected(
                f"{self.display_name}: token de acesso recusado (HTTP 401)", status=status
            )
        if not 200 <= status < 300:
            self._log("integrations.provider.api_error", operation, status)
            raise ProviderMisconfigured(
                f"{self.display_name}: resposta inesperada da API (HTTP {status})", status=status
            )
        return response

    def _raise_for_redirect_or_overload(self, response: requests.Response, operation: str) -> None:
        status = response.status_code
        if 300 <= status < 400:
            # Never followed: a redirect would carry our secrets somewhere we did not configure.
            self._log("integrations.provider.unexpected_redirect", operation, status)
            raise ProviderMisconfigured(
                f"{self.display_name}: redirecionamento inesperado (HTTP {status})", status=status
            )
        if status == 429 or status >= 500:
            self._log("integrations.provider.unavailable", operation, status)
            raise TemporarilyUnavailable(
                f"{self.display_name}: serviço indisponível (HTTP {status})",
                status=status,
                retry_after=self._retry_after(response),
            )

    def _retry_after(self, response: requests.Response) -> float | None:
        return parse_retry_after(response.headers.get("Retry-After"), now=self._now())

    def _unavailable(
        self, operation: str, summary: str, *, exc: Exception, timed_out_after_send: bool = False
    ) -> TemporarilyUnavailable:
        # Only the exception's class: its text may carry URLs or request details.
        self._log("integrations.provider.request_failed", operation, error=type(exc).__name__)
        return TemporarilyUnavailable(
            f"{self.display_name}: {summary}", timed_out_after_send=timed_out_after_send
        )

    def _log(
        self,
        event: str,
        operation: str,
        status: int | None = None,
        error_code: str | None = None,
        error: str | None = None,
    ) -> None:
        extra = {"provider": self.key, "operation": operation}
        extra |= {k: v for k, v in (("status", status), ("error_code", error_code)) if v}
        if error:
            extra["error"] = error
        logger.warning(event, extra=extra)


# --- Helpers -------------------------------------------------------------------------------------


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


def decode_jwt_claims(token: str) -> dict[str, Any] | None:
    """The payload of a compact JWS, WITHOUT verifying it; None when it is not a readable JWT.

    Only for "which tenant did the seller pick": the token came straight from the token endpoint.
    """
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        return None
    payload = parts[1].rstrip("=")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError):  # UnicodeDecodeError and JSONDecodeError included
        return None
    return claims if isinstance(claims, dict) else None


def _new_session(config: OAuth2Config) -> requests.Session:
    """The provider's one Session, with what requests takes from the environment read once, here.

    Left to itself (``trust_env``), requests re-reads the proxy variables on every call (the
    largest item in a keeper worker's CPU profile) and looks in ~/.netrc for credentials it would
    add to the call. Proxies (honouring NO_PROXY) and a CA bundle still come from the environment.
    """
    session = requests.Session()
    # One instance serves every seller: never carry a cookie from one call to the next.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    session.trust_env = False
    for url in (config.token_url, config.api_url):
        parts = urlsplit(url)
        proxies = get_environ_proxies(url)
        if proxy := proxies.get(parts.scheme) or proxies.get("all"):
            session.proxies[f"{parts.scheme}://{parts.hostname}"] = proxy
    ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    session.verify = ca_bundle or True
    return session


def _with_query(url: str, params: Mapping[str, str]) -> str:
    """Append params to url, keeping its own query; spaces as %20 and "/" and ":" escaped."""
    parts = urlsplit(url)
    query = urlencode(params, quote_via=quote, safe="")
    if parts.query:
        query = f"{parts.query}&{query}"
    return urlunsplit(parts._replace(query=query))


def _join_url(base: str, path: str) -> str:
    return f"{base.rstrip('/')}/{path.lstrip('/')}"


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:  # requests' JSONDecodeError, and undecodable bytes
        return None


def _oauth_error(body: Any) -> tuple[str | None, str]:
    """The RFC 6749 §5.2 `error` and `error_description` of a body, if any."""
    if not isinstance(body, dict):
        return None, ""
    code = body.get("error")
    description = body.get("error_description")
    return (
        code[:100] if isinstance(code, str) and code else None,
        " ".join(description.split()) if isinstance(description, str) else "",
    )


def _redact(text: str, secrets: Iterable[str | None]) -> str:
    """Provider text may echo what we sent; blank out anything secret before it is shown."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, _REDACTED)
    return text


def _message(
    display_name: str, summary: str, status: int, error_code: str | None, description: str
) -> str:
    detail = f"HTTP {status}" + (f", {error_code}" if error_code else "")
    message = f"{display_name}: {summary} ({detail})"
    if description:
        message += f": {description[:DESCRIPTION_MAX_CHARS]}"
    return message


def _number(value: Any) -> float | None:
    """A non-negative finite number from a JSON number or a numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = float(value.strip())
    else:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _scopes(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list):
        return frozenset(item for item in value if isinstance(item, str) and item)
    return frozenset()
