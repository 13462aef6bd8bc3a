"""Where the ID Magalu stand-in answers, as the hub's MAGALU_* defaults when stand-ins are on.

Plain Python: read by ``config/settings.py`` before Django is set up.
"""

NAME = "ID Magalu e API de sellers da Magalu"
URLCONF = "marketplaces.magalu.standin.urls"
DEMO = "marketplaces.magalu.standin.demo"
ID_PATH = "/sandbox/idmagalu"
API_PATH = "/sandbox/magalu-api"

ADDRESSES = {
    ID_PATH: {
        "authorize_url": "/login",
        "token_url": "/oauth/token",
        "tenants_url": "/account/api/v2/whoami/tenants",
        "issuer": "",
        "logout_url": "/",
    },
    API_PATH: {"api_url": ""},
}
SETTINGS = {
    "client_id": "hub-sandbox-client",
    "client_secret": "hub-sandbox-secret",
    # ID Magalu documents no PKCE; the stand-in requires it, the hub sends it.
    "use_pkce": True,
}
