"""The Shopee stand-in's settings, read at call time (``override_settings`` works). It plays the
server the hub's SHOPEE_* settings point at: its partner is the hub's client."""

from marketplaces.sandbox.conf import StandInConf
from marketplaces.sandbox.conf import token_marker as token_marker  # the shared prefix

KEY = "shopee"
# Shopee: the access token lives 4 hours, the refresh token 30 days.
ACCESS_TOKEN_TTL = 4 * 3600
REFRESH_TOKEN_TTL = 30 * 24 * 3600
STAND_IN = StandInConf(KEY, access_token_ttl=ACCESS_TOKEN_TTL, refresh_token_ttl=REFRESH_TOKEN_TTL)

partner_id = STAND_IN.client_id
partner_key = STAND_IN.client_secret
redirect_uri = STAND_IN.redirect_uri
access_token_ttl = STAND_IN.access_token_ttl
