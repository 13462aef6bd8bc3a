"""What every stand-in reads of the settings, at call time so ``override_settings`` works.

A stand-in plays the server the hub's ``<KEY>_*`` settings point at, so it takes its client,
redirect URI and issuer from the hub's configuration of that marketplace; its own switches are
``<KEY>_SANDBOX_*`` settings.
"""

from django.conf import settings


def token_marker() -> str:
    """Prefix of every token's ``jti``, so a test can scan logs and rows for leaked tokens."""
    return getattr(settings, "SANDBOX_TOKEN_MARKER", "sbx")


class StandInConf:
    """One stand-in's settings: its ``<KEY>_SANDBOX_*`` switches and the hub's client for it."""

    def __init__(self, key: str, *, access_token_ttl: int, refresh_token_ttl: int):
        self.key = key
        self.default_access_token_ttl = access_token_ttl
        self.default_refresh_token_ttl = refresh_token_ttl

    def setting(self, name: str, default):
        return getattr(settings, f"{self.key.upper()}_SANDBOX_{name}", default)

    def access_token_ttl(self) -> int:
        return int(self.setting("ACCESS_TOKEN_TTL", self.default_access_token_ttl))

    def refresh_token_ttl(self) -> int:
        return int(self.setting("REFRESH_TOKEN_TTL", self.default_refresh_token_ttl))

    def pair_terms(self) -> dict:
        """What every token pair of this stand-in is issued or rotated with (``tokens``)."""
        return {
            "marketplace": self.key,
            "access_ttl": self.access_token_ttl(),
            "refresh_ttl": self.refresh_token_ttl(),
        }

    def require_pkce(self) -> bool:
        """Whether the consent request must carry a PKCE challenge (RFC 7636)."""
        return self.setting("REQUIRE_PKCE", True)

    def hub_config(self):
        """The hub's configuration of this marketplace: the stand-in plays the server it names."""
        from marketplaces import get_provider

        return get_provider(self.key).config

    def client_id(self) -> str:
        return self.hub_config().client_id

    def client_secret(self) -> str:
        return self.hub_config().client_secret

    def redirect_uri(self) -> str:
        return self.hub_config().redirect_uri

    def issuer(self) -> str:
        return self.hub_config().issuer

    def default_scopes(self) -> list[str]:
        return list(self.hub_config().scopes)
