"""Shopee's tokens: opaque strings in families with rotation and reuse detection
(``sandbox.tokens``: only the newest refresh token works; a reused one revokes the family).

A main account's code gives one pair for its shops ("each main_account_id will get the same
initial access_token and refresh_token") and ``shop_id_list``; that refresh token "can only be
used once by either a shop_id or merchant_id": each shop's first refresh gives it an independent
pair (``tokens.split``)."""

import secrets

from marketplaces.sandbox import tokens
from marketplaces.sandbox.models import SandboxAuthorizationCode, SandboxGrantFamily
from marketplaces.shopee.standin import conf
from marketplaces.shopee.standin.directory import MAIN_PREFIX, main_account_of


def _mint(family: SandboxGrantFamily, access_ttl: int, refresh_ttl: int) -> tuple[str, str]:
    marker = conf.token_marker()
    return (
        f"shp-at-{marker}-{secrets.token_hex(16)}",
        f"shp-rt-{marker}-{secrets.token_hex(16)}",
    )


def _body(pair: tokens.Pair, *, with_shop: bool) -> dict:
    body = {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "expire_in": pair.access_ttl,
        "request_id": secrets.token_hex(8),
        "error": "",
        "message": "",
    }
    if with_shop:  # access_token/get names the shop and the partner
        body |= {"shop_id": int(pair.family.account_id), "partner_id": int(conf.partner_id())}
    return body


def issue_tokens(*, shop_id: int) -> dict:
    """A new authorization (family) for a shop: what token/get answers."""
    pair = tokens.issue_pair(
        account_id=str(shop_id),
        scope="",
        mint=_mint,
        **conf.STAND_IN.pair_terms(),
    )
    return _body(pair, with_shop=False)


def _spend(code: str) -> SandboxAuthorizationCode:
    """The code's row, spent: a code is single use, and Shopee's has no PKCE."""
    return tokens.consume_code(
        marketplace=conf.KEY,
        client_id=conf.partner_id(),
        redirect_uri=conf.redirect_uri(),
        code=code,
        code_verifier=None,
    )


def exchange(*, code: str, shop_id: int) -> dict:
    row = _spend(code)
    if row.account_id != str(shop_id):
        raise tokens.OAuthError("error_param", "The code was not issued for this shop_id.")
    return issue_tokens(shop_id=shop_id)


def exchange_main_account(*, code: str, main_account_id: int) -> dict:
    """token/get with ``main_account_id``: one pair, and the shops it covers."""
    row = _spend(code)
    main = main_account_of(row.account_id)
    if main is None or main.main_account_id != main_account_id:
        raise tokens.OAuthError("error_param", "The code was not issued for this main_account_id.")
    pair = tokens.issue_pair(
        account_id=main.account_id, scope="", mint=_mint, **conf.STAND_IN.pair_terms()
    )
    return _body(pair, with_shop=False) | {
        "shop_id_list": list(main.shop_ids),
        "merchant_id_list": [],
    }


def renew(*, refresh_token: str, shop_id: int) -> dict:
    family = tokens.refresh_family(conf.KEY, refresh_token)
    if family is not None and family.account_id.startswith(MAIN_PREFIX):
        main = main_account_of(family.account_id)
        if main is None or shop_id not in main.shop_ids:
            raise tokens.OAuthError("error_param", "The shop_id is not under this main account.")
        pair = tokens.split(
            refresh_token=refresh_token,
            account_id=str(shop_id),
            mint=_mint,
            **conf.STAND_IN.pair_terms(),
        )
        return _body(pair, with_shop=True)
    pair = tokens.rotate(
        refresh_token=refresh_token,
        mint=_mint,
        **conf.STAND_IN.pair_terms(),
    )
    if pair.family.account_id != str(shop_id):
        raise tokens.OAuthError("error_param", "The refresh_token belongs to another shop_id.")
    return _body(pair, with_shop=True)
