"""Shopee's tokens: opaque strings in families with rotation and reuse detection
(``sandbox.tokens``: only the newest refresh token works; a reused one revokes the family)."""

import secrets

from marketplaces.sandbox import tokens
from marketplaces.sandbox.models import SandboxGrantFamily
from marketplaces.shopee.standin import conf


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


def exchange(*, code: str, shop_id: int) -> dict:
    row = tokens.consume_code(
        marketplace=conf.KEY,
        client_id=conf.partner_id(),
        redirect_uri=conf.redirect_uri(),
        code=code,
        code_verifier=None,
    )
    if row.account_id != str(shop_id):
        raise tokens.OAuthError("error_param", "The code was not issued for this shop_id.")
    return issue_tokens(shop_id=shop_id)


def renew(*, refresh_token: str, shop_id: int) -> dict:
    pair = tokens.rotate(
        refresh_token=refresh_token,
        mint=_mint,
        **conf.STAND_IN.pair_terms(),
    )
    if pair.family.account_id != str(shop_id):
        raise tokens.OAuthError("error_param", "The refresh_token belongs to another shop_id.")
    return _body(pair, with_shop=True)
