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
    return settings.SHOPEE_PARTNER_ID


def partner_key() -> str:
    return settings.SHOPEE_PARTNER_KEY


def redirect_uri() -> str:
    return settings.SHOPEE_REDIRECT_URI
