"""Where the Shopee stand-in answers, as the hub's SHOPEE_* defaults when stand-ins are on. Plain
Python: read by ``config/settings.py`` before Django is set up."""

NAME = "Shopee (autorização da loja e Open Platform)"
URLCONF = "marketplaces.shopee.standin.urls"
DEMO = "marketplaces.shopee.standin.demo"
AUTH_PATH = "/sandbox/shopee"
API_PATH = "/sandbox/shopee-api"

ADDRESSES = {
    API_PATH: {
        "authorize_url": "/api/v2/shop/auth_partner",
        "token_url": "/api/v2/auth/token/get",
        "api_url": "",
    },
    AUTH_PATH: {"logout_url": "/"},
}
SETTINGS = {
    "client_id": "2001234",  # a partner_id is a number
    "client_secret": "hub-sandbox-shopee-partner-key",
}
