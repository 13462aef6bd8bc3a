"""Mercado Livre's tokens: opaque strings (``APP_USR-…`` and ``TG-…``) in families with rotation
and reuse detection (``sandbox.tokens``); the token response names the account (``user_id``)."""

import secrets

from marketplaces.mercadolivre.standin import conf
from marketplaces.sandbox import http, tokens
from marketplaces.sandbox.models import SandboxGrantFamily
from marketplaces.sandbox.tokens import OAuthError


def _mint(family: SandboxGrantFamily, access_ttl: int, refresh_ttl: int) -> tuple[str, str]:
    marker = conf.token_marker()
    return (
        f"APP_USR-{marker}-{secrets.token_hex(24)}-{family.account_id}",
        f"TG-{marker}-{secrets.token_hex(24)}-{family.account_id}",
    )


def _body(pair: tokens.Pair) -> dict:
    return {
        "access_token": pair.access_token,
        "token_type": "bearer",
        "expires_in": pair.access_ttl,
        "scope": pair.family.scope,
        "user_id": int(pair.family.account_id),
        "refresh_token": pair.refresh_token,
    }


def issue_tokens(*, user_id: int) -> dict:
    """A new grant (family) for a user: the body the token endpoint answers to an exchange."""
    pair = tokens.issue_pair(
        account_id=str(user_id),
        scope=conf.SCOPE,
        mint=_mint,
        **conf.STAND_IN.pair_terms(),
    )
    return _body(pair)


def grant(params: dict[str, str] | None, body_kind: str | None, grant_type: str) -> dict:
    """The token endpoint: both grants form-encoded, as Mercado Livre documents them."""
    if params is None or body_kind != http.FORM_BODY:
        raise OAuthError("invalid_request", "the body must be application/x-www-form-urlencoded")
    if not grant_type:
        raise OAuthError("invalid_request", "grant_type is required")
    tokens.authenticate_client(
        params, client_id=conf.client_id(), client_secret=conf.client_secret()
    )
    if grant_type == http.AUTHORIZATION_CODE:
        code, redirect_uri = http.required(params, "code", "redirect_uri")
        row = tokens.consume_code(
            marketplace=conf.KEY,
            client_id=params["client_id"],
            redirect_uri=redirect_uri,
            code=code,
            code_verifier=params.get("code_verifier"),
        )
        return issue_tokens(user_id=int(row.account_id))
    if grant_type == http.REFRESH_TOKEN:
        (refresh_token,) = http.required(params, "refresh_token")
        pair = tokens.rotate(
            refresh_token=refresh_token,
            mint=_mint,
            **conf.STAND_IN.pair_terms(),
        )
        return _body(pair)
    raise OAuthError("unsupported_grant_type", "the grant_type is not supported")
