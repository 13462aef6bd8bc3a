"""The ID Magalu stand-in's settings, read at call time so ``override_settings`` works in tests.

It plays the server the hub's MAGALU_* settings point at, so it takes its client, redirect URI
and issuer from them.
"""

from django.conf import settings

KEY = "magalu"


def require_pkce() -> bool:
    return getattr(settings, "MAGALU_SANDBOX_REQUIRE_PKCE", True)


def send_iss() -> bool:
    """Whether the callback carries ``iss`` (RFC 9207)."""
    return getattr(settings, "MAGALU_SANDBOX_SEND_ISS", True)


def access_token_ttl() -> int:
    return int(getattr(settings, "MAGALU_SANDBOX_ACCESS_TOKEN_TTL", 7200))


def refresh_token_ttl() -> int:
    """Refresh-token lifetime in seconds (not documented by Magalu; 30 days here)."""
    return int(getattr(settings, "MAGALU_SANDBOX_REFRESH_TOKEN_TTL", 30 * 24 * 3600))


def token_marker() -> str:
    """Prefix of every token's ``jti``, so a test can scan logs and rows for leaked tokens."""
    return getattr(settings, "SANDBOX_TOKEN_MARKER", "sbx")


def issuer() -> str:
    return _hub_config().issuer


def client_id() -> str:
    return _hub_config().client_id


def client_secret() -> str:
    return _hub_config().client_secret


def redirect_uri() -> str:
    return _hub_config().redirect_uri


def default_scopes() -> list[str]:
    return list(_hub_config().scopes)


def _hub_config():
    """The hub's configuration of this marketplace: the stand-in plays the server it names."""
    from marketplaces import get_provider

    return get_provider(KEY).config
