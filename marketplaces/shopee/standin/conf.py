"""The Shopee stand-in's settings, read at call time (``override_settings`` works). It plays the
server the hub's SHOPEE_* settings point at."""

from django.conf import settings

KEY = "shopee"
# Shopee: the access token lives 4 hours, the refresh token 30 days.
ACCESS_TOKEN_TTL = 4 * 3600
REFRESH_TOKEN_TTL = 30 * 24 * 3600


def access_token_ttl() -> int:
    return int(getattr(settings, "SHOPEE_SANDBOX_ACCESS_TOKEN_TTL", ACCESS_TOKEN_TTL))


def token_marker() -> str:
    return getattr(settings, "SANDBOX_TOKEN_MARKER", "sbx")


def partner_id() -> str:
    return _hub_config().client_id


def partner_key() -> str:
    return _hub_config().client_secret


def redirect_uri() -> str:
    return _hub_config().redirect_uri


def _hub_config():
    """The hub's configuration of Shopee: the stand-in plays the server it names."""
    from marketplaces import get_provider

    return get_provider(KEY).config
