"""The Mercado Livre stand-in's settings, read at call time (``override_settings`` works). It
plays the server the hub's MERCADOLIVRE_* settings point at."""

from marketplaces.sandbox.conf import StandInConf
from marketplaces.sandbox.conf import token_marker as token_marker  # the shared prefix

KEY = "mercadolivre"
# Mercado Livre: "expires_in": 21600 (6 hours); a refresh token lasts 6 months.
ACCESS_TOKEN_TTL = 21600
REFRESH_TOKEN_TTL = 180 * 24 * 3600
SCOPE = "offline_access read write"
_conf = StandInConf(KEY)

client_id = _conf.client_id
client_secret = _conf.client_secret
redirect_uri = _conf.redirect_uri


def access_token_ttl() -> int:
    return int(_conf.setting("ACCESS_TOKEN_TTL", ACCESS_TOKEN_TTL))


def require_pkce() -> bool:
    return _conf.setting("REQUIRE_PKCE", True)
