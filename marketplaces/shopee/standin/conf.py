"""The Shopee stand-in's settings, read at call time (``override_settings`` works). It plays the
server the hub's SHOPEE_* settings point at: its partner is the hub's client."""

from marketplaces.sandbox.conf import StandInConf
from marketplaces.sandbox.conf import token_marker as token_marker  # the shared prefix

KEY = "shopee"
# Shopee: the access token lives 4 hours, the refresh token 30 days.
ACCESS_TOKEN_TTL = 4 * 3600
REFRESH_TOKEN_TTL = 30 * 24 * 3600
_conf = StandInConf(KEY)

partner_id = _conf.client_id
partner_key = _conf.client_secret
redirect_uri = _conf.redirect_uri


def access_token_ttl() -> int:
    return int(_conf.setting("ACCESS_TOKEN_TTL", ACCESS_TOKEN_TTL))
