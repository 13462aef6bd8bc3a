"""The shared RFC 6749 Authorization Code client. A marketplace's quirks are class attributes.

Providers never retry; callers decide. Every error is one of the typed errors in ``errors``;
a token request whose answer never came (or came as a gateway's 502/504) is marked
``outcome_unknown``: the server may still act on it; one the server answered with an error that
does not say whether it acted (a 500) is marked ``answered_in_doubt``.
"""

from __future__ import annotations

import logging
from abc import ABC
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal, NoReturn

import requests

from .errors import (
    AccessTokenRejected,
    GrantRevoked,
    OperatorLogin,
    ProviderError,
    ProviderMisconfigured,
    TemporarilyUnavailable,
)
from .http import (
    join_url,
    json_or_none,
    may_have_been_sent,
    new_session,
    parse_retry_after,
    with_query,
)
from .interface import OAuth2Provider
from .responses import (
    api_error_code,
    error_message,
    gateway_outcome_unknown,
    oauth_error,
    parse_grant,
    redact,
    server_answer_in_doubt,
)
from .values import AuthorizationCallback, OAuth2Config, TokenGrant

logger = logging.getLogger(__name__)

BodyFormat = Literal["json", "form"]


class StandardOAuth2Provider(OAuth2Provider, ABC):
    """RFC 6749 Authorization Code client over one ``requests.Session``."""

    scope_separator: ClassVar[str] = " "
    # Some servers take the scopes from the app's registration, not from the consent URL.
    scope_in_consent_url: ClassVar[bool] = True
    extra_authorization_params: ClassVar[Mapping[str, str]] = {}
    exchange_body_format: ClassVar[BodyFormat] = "form"  # RFC 6749 §4.1.3
    refresh_body_format: ClassVar[BodyFormat] = "form"  # RFC 6749 §6
    # The token response member naming the account that authorized, when the server sends one.
    account_id_field: ClassVar[str | None] = None
    # The token response member listing the accounts one authorization covers when it covers
    # several at once (TokenGrant.accounts).
    accounts_field: ClassVar[str | None] = None
    # The token response member holding the access token's lifetime (RFC 6749 §5.1's name).
    expires_in_field: ClassVar[str] = "expires_in"
    # Where an error answer explains itself (RFC 6749 §5.2's name first).
    error_description_fields: ClassVar[tuple[str, ...]] = ("error_description",)
    # API error codes that, with a 401 or 403, mean the access token itself was refused.
    access_token_rejected_errors: ClassVar[frozenset[str]] = frozenset()
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
        self._session = session or new_session(self._outbound_urls())
        self._now = clock or (lambda: datetime.now(UTC))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} client_id={self.config.client_id!r}>"

    def _outbound_urls(self) -> list[str]:
        """The URLs this provider calls server to server (for the proxy settings)."""
        return [self.config.token_url, self.config.api_url]

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
            "response_type": "code",
        }
        if self.scope_in_consent_url:
            params["scope"] = self.scope_separator.join(self.config.scopes)
        params |= {**self.extra_authorization_params, "state": state}
        if code_challenge:
            # RFC 7636 §4.3: only S256, never "plain".
            params |= {"code_challenge": code_challenge, "code_challenge_method": "S256"}
        return with_query(self.config.authorize_url, params)

    def exchange_code(self, callback: AuthorizationCallback) -> TokenGrant:
        code, code_verifier = callback.code, callback.code_verifier
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

    def refresh(self, *, refresh_token: str, account_id: str = "") -> TokenGrant:
        body = {
            "grant_type": "refresh_token",
            "client_id": self.config.client_id,
            "client_secret": self.config.client_secret,
            "refresh_token": refresh_token,
        }
        return self._request_token(
            body, self.refresh_body_format, operation="refresh", secrets=(refresh_token,)
        )

    def check_access_token(self, *, access_token: str, account_id: str = "") -> None:
        url = join_url(self.config.api_url, self.config.healthcheck_path)
        self.api_get(url, access_token=access_token, operation="healthcheck", account_id=account_id)

    def missing_scopes(self, grant: TokenGrant) -> frozenset[str]:
        return frozenset(self.config.scopes) - grant.scopes

    # --- HTTP ------------------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, operation: str, **kwargs: Any) -> requests.Response:
        """One HTTP call: configured timeouts, no redirects, TLS verification left on."""
        try:
            return self._session.request(
                method, url, timeout=self.config.timeout, allow_redirects=False, **kwargs
            )
        except (
            requests.exceptions.InvalidURL,
            requests.exceptions.MissingSchema,
            requests.exceptions.InvalidSchema,
        ) as exc:
            self._log("integrations.provider.request_failed", operation, error=type(exc).__name__)
            raise ProviderMisconfigured(f"{self.display_name}: URL configurada inválida") from None
        except requests.RequestException as exc:
            sent = may_have_been_sent(exc)
            if isinstance(exc, requests.Timeout):
                summary = "tempo esgotado " + ("aguardando resposta" if sent else "ao conectar")
            else:
                summary = "conexão interrompida" if sent else "falha de conexão"
            # Only the exception's class: its text may carry URLs or request details.
            self._log("integrations.provider.request_failed", operation, error=type(exc).__name__)
            raise TemporarilyUnavailable(
                f"{self.display_name}: {summary}", outcome_unknown=sent
            ) from None

    def _request_token(
        self,
        body: dict[str, str],
        body_format: BodyFormat,
        *,
        operation: str,
        secrets: Iterable[str | None],
        url: str | None = None,
        params: Mapping[str, str] | None = None,
    ) -> TokenGrant:
        """POST to the token endpoint (``url``, else the configured one; ``params`` in its query
        where a server wants them there)."""
        payload = {"json": body} if body_format == "json" else {"data": body}
        response = self._send(
            "POST",
            url or self.config.token_url,
            operation=operation,
            headers={"Accept": "application/json"},
            params=params,
            **payload,
        )
        return self._grant_from(response, operation=operation, secrets=secrets)

    def _grant_from(
        self, response: requests.Response, *, operation: str, secrets: Iterable[str | None]
    ) -> TokenGrant:
        """Map a token endpoint answer to a grant or to an error (RFC 6749 §5.1, §5.2)."""
        status = response.status_code
        body = json_or_none(response)
        error_code, description = oauth_error(body, self.error_description_fields)
        self._raise_for_redirect_or_overload(response, operation, error_code=error_code)
        description = redact(description, (self.config.client_secret, *secrets))

        def fail(error_class: type[ProviderError], summary: str, **kwargs: Any) -> NoReturn:
            self._log("integrations.provider.token_error", operation, status, error_code)
            message = error_message(self.display_name, summary, status, error_code, description)
            raise error_class(message, error_code=error_code, status=status, **kwargs)

        if error_code in self.operator_login_errors:
            fail(OperatorLogin, "login de operador, não do administrador da conta")
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
        grant = None
        if not error_code:
            grant = parse_grant(
                body,
                now=self._now(),
                account_id_field=self.account_id_field,
                expires_in_field=self.expires_in_field,
                accounts_field=self.accounts_field,
            )
        if grant is None:
            # A 2xx means the server acted (a refresh token may be rotated) but its answer is
            # unusable: it has finished with the request, the pair is lost with the answer.
            fail(TemporarilyUnavailable, "resposta inválida", answered_in_doubt=True)
        return grant

    def api_get(
        self,
        url: str,
        *,
        access_token: str,
        operation: str,
        params: Mapping[str, str] | None = None,
        account_id: str = "",
    ) -> requests.Response:
        """GET a protected resource of the account; 2xx or a typed error."""
        query, headers = self.api_credentials(url, access_token=access_token, account_id=account_id)
        response = self._send(
            "GET",
            url,
            operation=operation,
            params={**(params or {}), **query},
            headers={**headers, "Accept": "application/json"},
        )
        self._raise_for_redirect_or_overload(response, operation)
        status = response.status_code
        rejected = status == 401 or (
            status == 403
            and api_error_code(json_or_none(response)) in self.access_token_rejected_errors
        )
        if rejected:
            self._log("integrations.provider.api_error", operation, status)
            raise AccessTokenRejected(
                f"{self.display_name}: token de acesso recusado (HTTP {status})", status=status
            )
        if not 200 <= status < 300:
            code = api_error_code(json_or_none(response))
            self._log("integrations.provider.api_error", operation, status, code)
            if status == 403 and code in self.operator_login_errors:
                raise OperatorLogin(
                    f"{self.display_name}: login de operador (HTTP 403, {code})",
                    error_code=code,
                    status=status,
                )
            raise ProviderMisconfigured(
                f"{self.display_name}: resposta inesperada da API (HTTP {status})",
                error_code=code,
                status=status,
            )
        return response

    def api_credentials(
        self, url: str, *, access_token: str, account_id: str
    ) -> tuple[dict[str, str], dict[str, str]]:
        """How a call proves the token: (query parameters, headers). RFC 6750 §2.1's header."""
        return {}, {"Authorization": f"Bearer {access_token}"}

    def api_json(self, url: str, *, access_token: str, operation: str, **kwargs: Any) -> Any:
        """GET and parse JSON; a 2xx that is not JSON is a temporary failure (try again)."""
        response = self.api_get(url, access_token=access_token, operation=operation, **kwargs)
        body = json_or_none(response)
        if body is None:
            self._log("integrations.provider.api_error", operation, response.status_code)
            raise TemporarilyUnavailable(
                f"{self.display_name}: resposta inválida da API", status=response.status_code
            )
        return body

    def _raise_for_redirect_or_overload(
        self, response: requests.Response, operation: str, *, error_code: str | None = None
    ) -> None:
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
                outcome_unknown=gateway_outcome_unknown(status),
                answered_in_doubt=server_answer_in_doubt(status, error_code),
            )

    def _retry_after(self, response: requests.Response) -> float | None:
        return parse_retry_after(response.headers.get("Retry-After"), now=self._now())

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
