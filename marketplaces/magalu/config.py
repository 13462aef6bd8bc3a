"""Magazine Luiza's settings schema: what a deployment configures (``MAGALU_<FIELD>``) and the
ID Magalu and API addresses by default."""

from dataclasses import dataclass

from marketplaces.base.values import OAuth2Config


@dataclass(frozen=True, kw_only=True)
class MagaluConfig(OAuth2Config):
    scopes: tuple[str, ...] = ("open:order-order:read", "open:portfolio:read")
    authorize_url: str = "https://id.magalu.com/login"
    token_url: str = "https://id.magalu.com/oauth/token"  # noqa: S105 (a URL)
    tenants_url: str = "https://id.magalu.com/account/api/v2/whoami/tenants"
    api_url: str = "https://api.magalu.com"
    healthcheck_path: str = "/seller/v1/orders?_limit=1"
    issuer: str = "https://id.magalu.com"
    logout_url: str = "https://id.magalu.com/"
