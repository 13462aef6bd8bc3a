"""The ID Magalu stand-in's settings, read at call time so ``override_settings`` works.

It plays the server the hub's MAGALU_* settings point at, so it takes its client, redirect URI
and issuer from them.
"""

from marketplaces.sandbox.conf import StandInConf
from marketplaces.sandbox.conf import token_marker as token_marker  # the shared prefix

KEY = "magalu"
_conf = StandInConf(KEY)

issuer = _conf.issuer
client_id = _conf.client_id
client_secret = _conf.client_secret
redirect_uri = _conf.redirect_uri
default_scopes = _conf.default_scopes


def require_pkce() -> bool:
    return _conf.setting("REQUIRE_PKCE", True)


def send_iss() -> bool:
    """Whether the callback carries ``iss`` (RFC 9207)."""
    return _conf.setting("SEND_ISS", True)


def access_token_ttl() -> int:
    return int(_conf.setting("ACCESS_TOKEN_TTL", 7200))


def refresh_token_ttl() -> int:
    """Refresh-token lifetime in seconds (not documented by Magalu; 30 days here)."""
    return int(_conf.setting("REFRESH_TOKEN_TTL", 30 * 24 * 3600))
