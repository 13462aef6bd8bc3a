"""The Mercado Livre stand-in's settings, read at call time (``override_settings`` works). It
plays the server the hub's MERCADOLIVRE_* settings point at."""

from marketplaces.sandbox.conf import StandInConf
from marketplaces.sandbox.conf import token_marker as token_marker  # the shared prefix

KEY = "mercadolivre"
# Mercado Livre: "expires_in": 21600 (6 hours); a refresh token lasts 6 months.
ACCESS_TOKEN_TTL = 21600
REFRESH_TOKEN_TTL = 180 * 24 * 3600
SCOPE = "offline_access read write"
STAND_IN = StandInConf(KEY, access_token_ttl=ACCESS_TOKEN_TTL, refresh_token_ttl=REFRESH_TOKEN_TTL)

client_id = STAND_IN.client_id
client_secret = STAND_IN.client_secret
redirect_uri = STAND_IN.redirect_uri
access_token_ttl = STAND_IN.access_token_ttl
require_pkce = STAND_IN.require_pkce
