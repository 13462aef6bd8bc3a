"""Where the Mercado Livre stand-in answers, as the hub's MERCADOLIVRE_* defaults when stand-ins
are on. Plain Python: read by ``config/settings.py`` before Django is set up."""

NAME = "Mercado Livre (autorização e API)"
URLCONF = "marketplaces.mercadolivre.standin.urls"
DEMO = "marketplaces.mercadolivre.standin.demo"
AUTH_PATH = "/sandbox/mercadolivre"
API_PATH = "/sandbox/mercadolivre-api"

ADDRESSES = {
    AUTH_PATH: {"authorize_url": "/authorization", "logout_url": "/"},
    API_PATH: {"token_url": "/oauth/token", "api_url": ""},
}
SETTINGS = {"client_id": "hub-sandbox-ml-app", "client_secret": "hub-sandbox-ml-secret"}
