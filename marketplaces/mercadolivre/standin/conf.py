"""The Mercado Livre stand-in's settings, read at call time (``override_settings`` works). It
plays the server the hub's MERCADOLIVRE_* settings point at."""

from django.conf import settings

KEY = "mercadolivre"
# Mercado Livre: "expires_in": 21600 (6 hours); a refresh token lasts 6 months.
ACCESS_TOKEN_TTL = 21600
REFRESH_TOKEN_TTL = 180 * 24 * 3600
SCOPE = "offline_access read write"


def access_token_ttl() -> int:
    return int(getattr(settings, "MERCADOLIVRE_SANDBOX_ACCESS_TOKEN_TTL", ACCESS_TOKEN_TTL))


def require_pkce() -> bool:
    return getattr(settings, "MERCADOLIVRE_SANDBOX_REQUIRE_PKCE", True)


def token_marker() -> str:
    return getattr(settings, "SANDBOX_TOKEN_MARKER", "sbx")


def client_id() -> str:
    return _hub_config().client_id


def client_secret() -> str:
    return _hub_config().client_secret


def redirect_uri() -> str:
    return _hub_config().redirect_uri


def _hub_config():
    """The hub's configuration of this marketplace: the stand-in plays the server it names."""
    from marketplaces import get_provider

    return get_provider(KEY).config
