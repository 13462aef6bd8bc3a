"""Mercado Livre's settings schema: what a deployment configures (``MERCADOLIVRE_<FIELD>``) and
the addresses of Brazil's site by default."""

from dataclasses import dataclass

from marketplaces.base.values import OAuth2Config


@dataclass(frozen=True, kw_only=True)
class MercadoLivreConfig(OAuth2Config):
    # offline_access is what makes Mercado Livre issue a refresh token at all.
    scopes: tuple[str, ...] = ("offline_access", "read")
    authorize_url: str = "https://auth.mercadolivre.com.br/authorization"
    token_url: str = "https://api.mercadolibre.com/oauth/token"  # noqa: S105 (a URL)
    api_url: str = "https://api.mercadolibre.com"
    healthcheck_path: str = "/users/me"
    use_pkce: bool = True
    # The site the hub's application is registered on; an account of another is not recognised.
    site_id: str = "MLB"
    logout_url: str = "https://www.mercadolivre.com.br/"
    # Mercado Livre limits each application's calls (429 local_rate_limited): spread refreshes.
    refresh_rate_limit: float = 10.0
