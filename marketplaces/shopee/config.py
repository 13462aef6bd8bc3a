"""Shopee's settings schema: what a deployment configures (``SHOPEE_<FIELD>``; the partner id and
key under Shopee's own names) and the partner API's addresses by default."""

from dataclasses import dataclass

from marketplaces.base.values import OAuth2Config
from marketplaces.shopee import signing

_HOST = "https://partner.shopeemobile.com"


@dataclass(frozen=True, kw_only=True)
class ShopeeConfig(OAuth2Config):
    # Shopee has no OAuth scopes: the app's permissions are set when it is registered.
    scopes: tuple[str, ...] = ()
    authorize_url: str = f"{_HOST}{signing.AUTH_PARTNER_PATH}"
    # The token endpoint; the renewal endpoint (access_token/get) is its sibling on that host.
    token_url: str = f"{_HOST}{signing.TOKEN_GET_PATH}"
    api_url: str = _HOST
    healthcheck_path: str = signing.SHOP_INFO_PATH
    # The only region this hub sells in; a shop of another is not recognised.
    region: str = "BR"
    logout_url: str = "https://seller.shopee.com.br/"
