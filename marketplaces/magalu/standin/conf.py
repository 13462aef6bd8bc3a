"""The ID Magalu stand-in's settings, read at call time so ``override_settings`` works.

It plays the server the hub's MAGALU_* settings point at, so it takes its client, redirect URI
and issuer from them.
"""

from marketplaces.sandbox.conf import StandInConf
from marketplaces.sandbox.conf import token_marker as token_marker  # the shared prefix

KEY = "magalu"
# Refresh-token lifetime: not documented by Magalu; 30 days here.
STAND_IN = StandInConf(KEY, access_token_ttl=7200, refresh_token_ttl=30 * 24 * 3600)

issuer = STAND_IN.issuer
client_id = STAND_IN.client_id
client_secret = STAND_IN.client_secret
redirect_uri = STAND_IN.redirect_uri
default_scopes = STAND_IN.default_scopes
access_token_ttl = STAND_IN.access_token_ttl
require_pkce = STAND_IN.require_pkce
refresh_token_ttl = STAND_IN.refresh_token_ttl


def send_iss() -> bool:
    """Whether the callback carries ``iss`` (RFC 9207)."""
    return STAND_IN.setting("SEND_ISS", True)
