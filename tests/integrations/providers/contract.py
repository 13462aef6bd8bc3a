"""The contract every OAuth2 provider passes, run by each provider's test module.

Use: ``class TestXContract(OAuth2ProviderContract)`` with these fixtures (module or class level):

- ``provider``: the provider under test, built from CLIENT_ID, CLIENT_SECRET, REDIRECT_URI and
  at least two scopes, as ``cls(config, clock=lambda: FIXED_NOW)``;
- ``expected_consent_params``: the consent URL's exact query for ``state=STATE``, no PKCE;
- ``exchange_content_type`` and ``expected_exchange_body`` for ``code=CODE``, no verifier;
- ``refresh_content_type`` and ``expected_refresh_body`` for ``refresh_token=REFRESH_TOKEN``;
- ``healthcheck_url``: what ``check_access_token`` GETs.

``token_response`` (a valid token endpoint body) has a generic default; override it if needed.
A marketplace that is not plain RFC 6749 says how it differs through the class attributes and
hooks below (``token_url``, ``consent_state``, ``assert_access_token_sent``), never by skipping.
HTTP is mocked at the edge with ``responses``: an unregistered URL fails, so nothing leaves.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError, ProtocolError

from marketplaces import (
    AccessTokenRejected,
    AuthorizationCallback,
    GrantRevoked,
    ProviderError,
    ProviderMisconfigured,
    TemporarilyUnavailable,
    TokenGrant,
)

CLIENT_ID = "hub-client-id"
CLIENT_SECRET = "client-SECRET-5f2b9c"
REDIRECT_URI = "https://hub.example.com/integracoes/retorno/?origem=hub"
STATE = "state-0123456789abcdef"
CODE = "code-SECRET-9d1e77"
CODE_VERIFIER = "verifier-SECRET-" + "v" * 40
CODE_CHALLENGE = "challenge-E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
REFRESH_TOKEN = "refresh-SECRET-old-4c1a"
ACCESS_TOKEN = "access-SECRET-new-b7e2"
NEW_REFRESH_TOKEN = "refresh-SECRET-new-0f3d"
SECRETS = (CLIENT_SECRET, CODE, CODE_VERIFIER, REFRESH_TOKEN, ACCESS_TOKEN, NEW_REFRESH_TOKEN)

ACCOUNT_ID = "424242"  # the integration's account, for servers that want it on every call
FIXED_NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
CREATED_AT = 1767225600  # 2026-01-01T00:00:00Z
OMIT = object()


def make_jwt(claims: dict, *, padded: bool = False) -> str:
    """An unsigned-looking compact JWS: providers read the claims without verifying them."""

    def segment(data: dict) -> str:
        encoded = base64.urlsafe_b64encode(json.dumps(data).encode()).decode()
        return encoded if padded else encoded.rstrip("=")

    return f"{segment({'alg': 'RS256', 'typ': 'JWT'})}.{segment(claims)}.c2lnbmF0dXJl"


def assert_no_secrets(*texts: str) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def assert_error_is_safe(exc: ProviderError, caplog: pytest.LogCaptureFixture) -> None:
    assert_no_secrets(str(exc), repr(exc), exc.message)
    for record in caplog.records:
        assert "." in record.msg and " " not in record.msg  # dotted event names
        assert_no_secrets(repr(record.__dict__))


def request_body(call) -> dict[str, str]:
    """The body of a recorded call as a dict, refusing repeated keys."""
    body = call.request.body
    text = body.decode() if isinstance(body, bytes) else body
    content_type = call.request.headers["Content-Type"]
    if content_type.startswith("application/json"):
        return json.loads(text)
    pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    assert len(pairs) == len(dict(pairs))
    return dict(pairs)


def call_token_endpoint(provider, operation: str) -> TokenGrant:
    """An RFC 6749 provider's exchange or refresh (the contract's own go through its hooks)."""
    if operation == "exchange":
        return provider.exchange_code(AuthorizationCallback(CODE, CODE_VERIFIER))
    return provider.refresh(refresh_token=REFRESH_TOKEN)


def with_config(provider, **changes):
    return type(provider)(replace(provider.config, **changes), clock=lambda: FIXED_NOW)


OPERATIONS = pytest.mark.parametrize("operation", ["exchange", "refresh"])

# (status, JSON body or None for an HTML body, expected error, expected error_code)
TOKEN_ERROR_CASES = [
    pytest.param(
        400, {"error": "invalid_grant"}, GrantRevoked, "invalid_grant", id="invalid_grant"
    ),
    pytest.param(
        401,
        {"error": "invalid_client"},
        ProviderMisconfigured,
        "invalid_client",
        id="invalid_client",
    ),
    pytest.param(
        400,
        {"error": "unauthorized_client"},
        ProviderMisconfigured,
        "unauthorized_client",
        id="unauthorized_client",
    ),
    pytest.param(
        400, {"error": "invalid_scope"}, ProviderMisconfigured, "invalid_scope", id="invalid_scope"
    ),
    pytest.param(
        400,
        {"error": "invalid_request"},
        ProviderMisconfigured,
        "invalid_request",
        id="invalid_request",
    ),
    pytest.param(
        400,
        {"error": "unsupported_grant_type"},
        ProviderMisconfigured,
        "unsupported_grant_type",
        id="unsupported_grant_type",
    ),
    pytest.param(400, {"error": "mystery"}, GrantRevoked, "mystery", id="400-unknown-error"),
    pytest.param(400, {}, GrantRevoked, None, id="bare-400-json"),
    pytest.param(400, None, GrantRevoked, None, id="bare-400-html"),
    pytest.param(401, None, GrantRevoked, None, id="bare-401"),
    pytest.param(403, None, ProviderMisconfigured, None, id="403"),
    pytest.param(404, None, ProviderMisconfigured, None, id="404"),
    pytest.param(409, {}, ProviderMisconfigured, None, id="409"),
    pytest.param(500, None, TemporarilyUnavailable, None, id="500"),
    pytest.param(503, None, TemporarilyUnavailable, None, id="503"),
    pytest.param(503, {"error": "invalid_grant"}, TemporarilyUnavailable, None, id="503-wins"),
    pytest.param(429, None, TemporarilyUnavailable, None, id="429"),
    pytest.param(
        400,
        {"error": "temporarily_unavailable"},
        TemporarilyUnavailable,
        "temporarily_unavailable",
        id="400-temporarily_unavailable",
    ),
    pytest.param(200, {"error": "invalid_grant"}, GrantRevoked, "invalid_grant", id="200-error"),
]

# 2xx bodies that are not a usable grant: the provider answered garbage, try again later.
GARBAGE_BODIES = [
    pytest.param("<html>oops</html>", id="html"),
    pytest.param([], id="json-list"),
    pytest.param({}, id="empty-object"),
    pytest.param({"access_token": OMIT}, id="no-access-token"),
    pytest.param({"refresh_token": OMIT}, id="no-refresh-token"),
    pytest.param({"access_token": ""}, id="empty-access-token"),
    pytest.param({"refresh_token": 42}, id="numeric-refresh-token"),
    pytest.param({"expires_in": OMIT}, id="no-expires-in"),
    pytest.param({"expires_in": None}, id="null-expires-in"),
    pytest.param({"expires_in": "two hours"}, id="text-expires-in"),
    pytest.param({"expires_in": "nan"}, id="nan-expires-in"),
    pytest.param({"expires_in": True}, id="bool-expires-in"),
    pytest.param({"expires_in": -5}, id="negative-expires-in"),
    pytest.param({"error": "mystery"}, id="error-code-in-2xx"),
]

API_ERROR_CASES = [
    pytest.param(401, AccessTokenRejected, id="401"),
    pytest.param(400, ProviderMisconfigured, id="400"),
    pytest.param(403, ProviderMisconfigured, id="403"),
    pytest.param(404, ProviderMisconfigured, id="404"),
    pytest.param(302, ProviderMisconfigured, id="302"),
    pytest.param(500, TemporarilyUnavailable, id="500"),
    pytest.param(503, TemporarilyUnavailable, id="503"),
    pytest.param(429, TemporarilyUnavailable, id="429"),
]

# (error, whether the request may have reached the server: the outcome is then unknown)
TRANSPORT_ERRORS = [
    pytest.param(requests.ConnectTimeout(), False, id="connect-timeout"),
    pytest.param(
        requests.ConnectionError(MaxRetryError(None, "/", NewConnectionError(None, "refused"))),
        False,
        id="connection-refused",
    ),
    pytest.param(
        requests.ConnectionError(MaxRetryError(None, "/", NameResolutionError("h", None, "dns"))),
        False,
        id="dns-failure",
    ),
    pytest.param(requests.exceptions.SSLError(), False, id="tls-handshake"),
    pytest.param(requests.ReadTimeout(), True, id="read-timeout"),
    pytest.param(
        requests.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError())),
        True,
        id="connection-reset",
    ),
    pytest.param(requests.exceptions.ChunkedEncodingError(), True, id="truncated-answer"),
    pytest.param(requests.ConnectionError(), True, id="connection-error-of-unknown-cause"),
]


class OAuth2ProviderContract:
    """Shared tests; not collected by itself (the name does not start with Test)."""

    # The token response member holding the access token's lifetime in seconds.
    expires_in_field = "expires_in"
    # The consent URL's parameter holding where the browser comes back.
    redirect_param = "redirect_uri"
    # RFC 7636 on the consent request; without it a challenge is never sent.
    supports_pkce = True
    # Whether the exchange repeats the redirect URI (RFC 6749 §4.1.3).
    exchange_sends_redirect_uri = True
    # The callback's extra parameters (the provider's callback_params) for the exchange.
    callback_extra: dict[str, str] = {}

    def token_url(self, provider, operation: str) -> str:
        """Where ``operation`` ("exchange" or "refresh") is sent."""
        return provider.config.token_url

    def consent_state(self, url: str) -> str:
        """The state as the consent URL carries it (to come back in the callback)."""
        return dict(parse_qsl(urlsplit(url).query))["state"]

    def assert_access_token_sent(self, call) -> None:
        assert call.request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"

    def exchange(self, provider, *, code_verifier: str | None = None) -> TokenGrant:
        return provider.exchange_code(
            AuthorizationCallback(CODE, code_verifier, dict(self.callback_extra))
        )

    def refresh(self, provider) -> TokenGrant:
        return provider.refresh(refresh_token=REFRESH_TOKEN, account_id=ACCOUNT_ID)

    def check(self, provider) -> None:
        return provider.check_access_token(access_token=ACCESS_TOKEN, account_id=ACCOUNT_ID)

    def call_token_endpoint(self, provider, operation: str) -> TokenGrant:
        if operation == "exchange":
            return self.exchange(provider, code_verifier=CODE_VERIFIER)
        return self.refresh(provider)

    def add_token_answer(self, http, provider, operation: str, **kwargs) -> None:
        http.add(responses.POST, self.token_url(provider, operation), **kwargs)

    @pytest.fixture
    def http(self):
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            yield mock

    @pytest.fixture
    def token_response(self, provider) -> dict:
        return {
            "access_token": ACCESS_TOKEN,
            "token_type": "Bearer",
            self.expires_in_field: 7200,
            "refresh_token": NEW_REFRESH_TOKEN,
            "scope": " ".join(provider.config.scopes),
            "created_at": CREATED_AT,
        }

    def _token_body(self, token_response: dict, changes: dict) -> dict:
        body = dict(token_response)
        for name, value in changes.items():
            name = self.expires_in_field if name == "expires_in" else name
            if value is OMIT:
                body.pop(name, None)
            else:
                body[name] = value
        return body

    # --- consent URL -----------------------------------------------------------------------------

    def test_consent_url_has_exactly_the_expected_params(self, provider, expected_consent_params):
        url = provider.authorization_url(state=STATE)

        parts = urlsplit(url)
        configured = urlsplit(provider.config.authorize_url)
        assert (parts.scheme, parts.netloc, parts.path) == (
            configured.scheme,
            configured.netloc,
            configured.path,
        )
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=True)
        assert len(pairs) == len(dict(pairs))
        assert dict(pairs) == expected_consent_params

    def test_consent_url_encodes_spaces_as_pct20_and_the_redirect_uri_fully(self, provider):
        query = urlsplit(provider.authorization_url(state=STATE)).query

        assert len(provider.config.scopes) >= 2
        assert "+" not in query
        if provider.scope_in_consent_url:
            assert "scope=" + quote(" ".join(provider.config.scopes), safe="") in query
        else:  # the application's registered scopes apply
            assert "scope=" not in query
        assert f"{self.redirect_param}=" + quote(REDIRECT_URI, safe="") in query

    def test_consent_url_keeps_a_query_already_in_the_authorize_url(self, provider):
        other = with_config(provider, authorize_url="https://login.example.com/auth?lang=pt-BR")

        url = other.authorization_url(state=STATE)
        query = dict(parse_qsl(urlsplit(url).query))

        assert query["lang"] == "pt-BR"
        assert self.consent_state(url) == STATE

    def test_pkce_params_only_when_a_challenge_is_given(self, provider, expected_consent_params):
        with_pkce = dict(
            parse_qsl(
                urlsplit(
                    provider.authorization_url(state=STATE, code_challenge=CODE_CHALLENGE)
                ).query
            )
        )
        without = dict(parse_qsl(urlsplit(provider.authorization_url(state=STATE)).query))

        pkce = {"code_challenge": CODE_CHALLENGE, "code_challenge_method": "S256"}
        assert with_pkce == {**expected_consent_params, **(pkce if self.supports_pkce else {})}
        assert "code_challenge" not in without
        assert "code_challenge_method" not in without

    def test_uses_pkce_follows_the_config(self, provider):
        assert with_config(provider, use_pkce=True).uses_pkce is self.supports_pkce
        assert with_config(provider, use_pkce=False).uses_pkce is False

    def test_issuer_follows_the_config(self, provider):
        assert provider.issuer == provider.config.issuer
        assert with_config(provider, issuer="https://other.example.com").issuer == (
            "https://other.example.com"
        )

    # --- exchange and refresh --------------------------------------------------------------------

    def test_exchange_sends_the_exact_body(
        self, provider, http, token_response, exchange_content_type, expected_exchange_body
    ):
        self.add_token_answer(http, provider, "exchange", json=token_response)

        grant = self.exchange(provider)

        (call,) = http.calls
        assert call.request.headers["Content-Type"].startswith(exchange_content_type)
        assert request_body(call) == expected_exchange_body
        if self.exchange_sends_redirect_uri:
            assert request_body(call)["redirect_uri"] == REDIRECT_URI
        assert grant.access_token == ACCESS_TOKEN
        assert grant.refresh_token == NEW_REFRESH_TOKEN
        assert grant.scopes == frozenset(provider.config.scopes)
        assert grant.token_type == token_response["token_type"]

    def test_exchange_sends_the_code_verifier_when_given(
        self, provider, http, token_response, expected_exchange_body
    ):
        self.add_token_answer(http, provider, "exchange", json=token_response)

        self.exchange(provider, code_verifier=CODE_VERIFIER)

        verifier = {"code_verifier": CODE_VERIFIER} if self.supports_pkce else {}
        assert request_body(http.calls[0]) == {**expected_exchange_body, **verifier}

    def test_refresh_sends_the_exact_body(
        self, provider, http, token_response, refresh_content_type, expected_refresh_body
    ):
        self.add_token_answer(http, provider, "refresh", json=token_response)

        grant = self.refresh(provider)

        (call,) = http.calls
        assert call.request.headers["Content-Type"].startswith(refresh_content_type)
        assert request_body(call) == expected_refresh_body
        assert grant.refresh_token == NEW_REFRESH_TOKEN

    @OPERATIONS
    @pytest.mark.parametrize("expires_in", [7200, "7200", 7200.0])
    @pytest.mark.parametrize(
        ("created_at", "issued_at"),
        [
            pytest.param(CREATED_AT, datetime.fromtimestamp(CREATED_AT, UTC), id="created-int"),
            pytest.param(
                str(CREATED_AT), datetime.fromtimestamp(CREATED_AT, UTC), id="created-str"
            ),
            pytest.param(OMIT, FIXED_NOW, id="created-absent"),
            pytest.param(None, FIXED_NOW, id="created-null"),
            pytest.param("yesterday", FIXED_NOW, id="created-garbage"),
        ],
    )
    def test_expires_at_counts_from_created_at_else_now(
        self, provider, http, token_response, operation, expires_in, created_at, issued_at
    ):
        body = self._token_body(
            token_response, {"expires_in": expires_in, "created_at": created_at}
        )
        http.add(responses.POST, self.token_url(provider, operation), json=body)

        grant = self.call_token_endpoint(provider, operation)

        assert grant.expires_at == issued_at + timedelta(seconds=7200)
        assert grant.expires_at.tzinfo is not None
        assert grant.expires_at.utcoffset() == timedelta(0)

    @OPERATIONS
    def test_scope_absent_gives_no_scopes_and_token_type_defaults(
        self, provider, http, token_response, operation
    ):
        body = self._token_body(token_response, {"scope": OMIT, "token_type": OMIT})
        http.add(responses.POST, self.token_url(provider, operation), json=body)

        grant = self.call_token_endpoint(provider, operation)

        assert grant.scopes == frozenset()
        assert grant.token_type == "Bearer"

    def test_grant_repr_holds_no_token(self, provider, http, token_response):
        self.add_token_answer(http, provider, "exchange", json=token_response)

        grant = self.exchange(provider)

        assert_no_secrets(repr(grant), str(grant))

    def test_config_and_provider_repr_hold_no_client_secret(self, provider):
        assert_no_secrets(repr(provider.config), repr(provider), str(provider))

    # --- token endpoint errors -------------------------------------------------------------------

    @OPERATIONS
    @pytest.mark.parametrize(("status", "body", "error_class", "error_code"), TOKEN_ERROR_CASES)
    def test_token_endpoint_errors_map_to_what_the_caller_must_do(
        self, provider, http, caplog, operation, status, body, error_class, error_code
    ):
        caplog.set_level(logging.DEBUG)
        if body is None:
            http.add(
                responses.POST, self.token_url(provider, operation), status=status, body="<html/>"
            )
        else:
            http.add(responses.POST, self.token_url(provider, operation), status=status, json=body)

        with pytest.raises(error_class) as raised:
            self.call_token_endpoint(provider, operation)

        assert type(raised.value) is error_class
        assert raised.value.status == status
        assert raised.value.error_code == error_code
        assert_error_is_safe(raised.value, caplog)
        assert caplog.records, "every mapped error is logged"

    @OPERATIONS
    @pytest.mark.parametrize("body", GARBAGE_BODIES)
    def test_2xx_garbage_is_temporarily_unavailable(
        self, provider, http, caplog, token_response, operation, body
    ):
        if isinstance(body, dict):
            http.add(
                responses.POST,
                self.token_url(provider, operation),
                json=self._token_body(token_response, body) if body else {},
            )
        elif isinstance(body, list):
            http.add(responses.POST, self.token_url(provider, operation), json=body)
        else:
            http.add(responses.POST, self.token_url(provider, operation), body=body)

        with pytest.raises(TemporarilyUnavailable) as raised:
            self.call_token_endpoint(provider, operation)

        assert raised.value.status == 200
        assert "resposta inválida" in str(raised.value)
        assert_error_is_safe(raised.value, caplog)

    @OPERATIONS
    @pytest.mark.parametrize("status", [429, 503])
    def test_retry_after_in_seconds(self, provider, http, operation, status):
        http.add(
            responses.POST,
            self.token_url(provider, operation),
            status=status,
            headers={"Retry-After": "120"},
        )

        with pytest.raises(TemporarilyUnavailable) as raised:
            self.call_token_endpoint(provider, operation)

        assert raised.value.retry_after == 120.0

    @OPERATIONS
    def test_retry_after_as_http_date(self, provider, http, operation):
        when = format_datetime(FIXED_NOW + timedelta(seconds=90), usegmt=True)
        http.add(
            responses.POST,
            self.token_url(provider, operation),
            status=429,
            headers={"Retry-After": when},
        )

        with pytest.raises(TemporarilyUnavailable) as raised:
            self.call_token_endpoint(provider, operation)

        assert raised.value.retry_after == 90.0

    @OPERATIONS
    @pytest.mark.parametrize("header", [None, "soon", "-5"])
    def test_retry_after_absent_or_unreadable_is_none(self, provider, http, operation, header):
        headers = {"Retry-After": header} if header else {}
        http.add(responses.POST, self.token_url(provider, operation), status=503, headers=headers)

        with pytest.raises(TemporarilyUnavailable) as raised:
            self.call_token_endpoint(provider, operation)

        assert raised.value.retry_after is None

    @OPERATIONS
    @pytest.mark.parametrize(("exception", "after_send"), TRANSPORT_ERRORS)
    def test_transport_errors_are_temporarily_unavailable(
        self, provider, http, caplog, operation, exception, after_send
    ):
        http.add(responses.POST, self.token_url(provider, operation), body=exception)

        with pytest.raises(TemporarilyUnavailable) as raised:
            self.call_token_endpoint(provider, operation)

        assert raised.value.outcome_unknown is after_send
        assert raised.value.status is None
        assert_error_is_safe(raised.value, caplog)

    @OPERATIONS
    @pytest.mark.parametrize(
        ("status", "body", "unknown", "doubt"),
        [
            pytest.param(502, None, True, False, id="502-gateway"),
            pytest.param(504, None, True, False, id="504-gateway-timeout"),
            pytest.param(500, {"error": "server_error"}, False, True, id="500-may-have-committed"),
            pytest.param(500, None, False, True, id="500-bare"),
            pytest.param(503, None, False, True, id="503-bare"),
            pytest.param(507, None, False, True, id="507-may-have-committed"),
            pytest.param(
                503, {"error": "temporarily_unavailable"}, False, False, id="503-server-declined"
            ),
            pytest.param(429, None, False, False, id="429-refused-before-work"),
            pytest.param(200, {"access_token": "x"}, False, True, id="2xx-unusable"),
        ],
    )
    def test_the_outcome_is_unknown_whenever_the_server_may_have_acted(
        self, provider, http, operation, status, body, unknown, doubt
    ):
        """Done, refused, answered in doubt or unknown: after the last two a refresh token may be
        rotated, and only after an unknown outcome (no answer, or a gateway's in the server's
        place) may the request still land later."""
        if body is None:
            http.add(
                responses.POST, self.token_url(provider, operation), status=status, body="<html/>"
            )
        else:
            http.add(responses.POST, self.token_url(provider, operation), status=status, json=body)

        with pytest.raises(TemporarilyUnavailable) as raised:
            self.call_token_endpoint(provider, operation)

        assert raised.value.outcome_unknown is unknown
        assert raised.value.answered_in_doubt is doubt
        assert raised.value.may_have_acted is (unknown or doubt)

    @OPERATIONS
    def test_a_refusal_is_never_an_unknown_outcome(self, provider, http, operation):
        http.add(
            responses.POST,
            self.token_url(provider, operation),
            status=400,
            json={"error": "invalid_grant"},
        )

        with pytest.raises(GrantRevoked) as raised:
            self.call_token_endpoint(provider, operation)

        assert not isinstance(raised.value, TemporarilyUnavailable)

    @OPERATIONS
    def test_an_unusable_token_url_is_misconfigured(self, provider, operation):
        broken = with_config(provider, token_url="id.magalu.com/oauth/token")

        with pytest.raises(ProviderMisconfigured):
            self.call_token_endpoint(broken, operation)

    @OPERATIONS
    def test_a_redirect_is_not_followed(self, provider, http, token_response, operation):
        elsewhere = "https://elsewhere.example.com/collect"
        http.add(
            responses.POST,
            self.token_url(provider, operation),
            status=302,
            headers={"Location": elsewhere},
        )
        http.add(responses.POST, elsewhere, json=token_response)
        http.add(responses.GET, elsewhere, json=token_response)

        with pytest.raises(ProviderMisconfigured) as raised:
            self.call_token_endpoint(provider, operation)

        assert raised.value.status == 302
        assert len(http.calls) == 1

    @OPERATIONS
    def test_provider_error_description_is_redacted(self, provider, http, operation):
        sent = f"{CODE} {CODE_VERIFIER}" if operation == "exchange" else REFRESH_TOKEN
        description = f"bad request: {CLIENT_SECRET} {sent}"
        http.add(
            responses.POST,
            self.token_url(provider, operation),
            status=400,
            json={"error": "invalid_grant", "error_description": description},
        )

        with pytest.raises(GrantRevoked) as raised:
            self.call_token_endpoint(provider, operation)

        assert "bad request:" in str(raised.value)
        assert_no_secrets(str(raised.value))

    @OPERATIONS
    def test_provider_error_description_is_cut_to_200_characters(self, provider, http, operation):
        http.add(
            responses.POST,
            self.token_url(provider, operation),
            status=400,
            json={"error": "invalid_grant", "error_description": "y" * 500},
        )

        with pytest.raises(GrantRevoked) as raised:
            self.call_token_endpoint(provider, operation)

        assert str(raised.value).endswith(": " + "y" * 200)

    # --- every call: timeouts, no redirects, TLS on ----------------------------------------------

    def test_every_call_passes_the_configured_timeouts_and_keeps_tls_verification(
        self, provider, http, token_response, healthcheck_url
    ):
        self.add_token_answer(http, provider, "exchange", json=token_response)
        self.add_token_answer(http, provider, "refresh", json=token_response)
        http.add(responses.GET, healthcheck_url, json={})

        self.exchange(provider)
        self.refresh(provider)
        self.check(provider)

        assert len(http.calls) == 3
        for call in http.calls:
            assert call.request.req_kwargs["timeout"] == (
                provider.config.connect_timeout,
                provider.config.read_timeout,
            )
            assert call.request.req_kwargs["verify"] is not False

    def test_calls_share_one_session(self, provider, http, token_response, healthcheck_url):
        self.add_token_answer(http, provider, "exchange", json=token_response)
        self.add_token_answer(http, provider, "refresh", json=token_response)
        sessions = []
        original = requests.Session.request

        def spy(session, *args, **kwargs):
            sessions.append(session)
            return original(session, *args, **kwargs)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(requests.Session, "request", spy)
            self.exchange(provider)
            self.refresh(provider)

        assert len(sessions) == 2
        assert sessions[0] is sessions[1]

    # --- the environment, read once when the provider is built -----------------------------------

    def test_proxy_variables_apply_to_the_configured_hosts_and_honour_no_proxy(
        self, provider, http, token_response, monkeypatch
    ):
        self.add_token_answer(http, provider, "refresh", json=token_response)
        token_url = urlsplit(self.token_url(provider, "refresh"))
        monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
        monkeypatch.setenv("HTTP_PROXY", "http://proxy.internal:3128")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        proxied = with_config(provider)
        monkeypatch.setenv("NO_PROXY", token_url.hostname)
        direct = with_config(provider)

        self.refresh(proxied)
        self.refresh(direct)

        through_proxy, bypassing = (call.request.req_kwargs["proxies"] for call in http.calls)
        host_key = f"{token_url.scheme}://{token_url.hostname}"
        assert through_proxy[host_key] == "http://proxy.internal:3128"
        assert host_key not in bypassing

    def test_netrc_credentials_are_never_added(
        self, provider, http, token_response, tmp_path, monkeypatch
    ):
        netrc = tmp_path / "netrc"
        host = urlsplit(self.token_url(provider, "refresh")).hostname
        netrc.write_text(f"machine {host} login intruder password leaked\n")
        netrc.chmod(0o600)
        monkeypatch.setenv("NETRC", str(netrc))
        self.add_token_answer(http, provider, "refresh", json=token_response)

        self.refresh(with_config(provider))

        assert "Authorization" not in http.calls[0].request.headers

    def test_a_ca_bundle_from_the_environment_is_used(
        self, provider, http, token_response, monkeypatch
    ):
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/company-ca.pem")
        self.add_token_answer(http, provider, "refresh", json=token_response)

        self.refresh(with_config(provider))

        assert http.calls[0].request.req_kwargs["verify"] == "/etc/ssl/certs/company-ca.pem"

    # --- check_access_token ----------------------------------------------------------------------

    def test_check_access_token_sends_the_bearer_token(self, provider, http, healthcheck_url):
        http.add(responses.GET, healthcheck_url, json={"results": []})

        assert self.check(provider) is None

        (call,) = http.calls
        self.assert_access_token_sent(call)

    @pytest.mark.parametrize(("status", "error_class"), API_ERROR_CASES)
    def test_check_access_token_errors(
        self, provider, http, caplog, healthcheck_url, status, error_class
    ):
        headers = {"Location": "https://elsewhere.example.com/"} if status == 302 else {}
        http.add(responses.GET, healthcheck_url, status=status, headers=headers)

        with pytest.raises(error_class) as raised:
            self.check(provider)

        assert type(raised.value) is error_class
        assert raised.value.status == status
        assert len(http.calls) == 1
        assert_error_is_safe(raised.value, caplog)

    @pytest.mark.parametrize(("exception", "after_send"), TRANSPORT_ERRORS)
    def test_check_access_token_transport_errors(
        self, provider, http, healthcheck_url, exception, after_send
    ):
        http.add(responses.GET, healthcheck_url, body=exception)

        with pytest.raises(TemporarilyUnavailable) as raised:
            self.check(provider)

        assert raised.value.outcome_unknown is after_send
