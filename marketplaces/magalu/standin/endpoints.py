"""Where the ID Magalu stand-in answers, as the hub's MAGALU_* defaults when stand-ins are on.

Plain Python: read by ``config/settings.py`` before Django is set up.
"""

NAME = "ID Magalu e API de sellers da Magalu"
URLCONF = "marketplaces.magalu.standin.urls"
DEMO = "marketplaces.magalu.standin.demo"
ID_PATH = "/sandbox/idmagalu"
API_PATH = "/sandbox/magalu-api"


def provider_defaults(base_url: str) -> dict[str, object]:
    return {
        "authorize_url": f"{base_url}{ID_PATH}/login",
        "token_url": f"{base_url}{ID_PATH}/oauth/token",
        "tenants_url": f"{base_url}{ID_PATH}/account/api/v2/whoami/tenants",
        "api_url": f"{base_url}{API_PATH}",
        "issuer": f"{base_url}{ID_PATH}",
        "logout_url": f"{base_url}{ID_PATH}/",
        "client_id": "hub-sandbox-client",
        "client_secret": "hub-sandbox-secret",
        # ID Magalu documents no PKCE; the stand-in requires it, the hub sends it.
        "use_pkce": True,
    }
