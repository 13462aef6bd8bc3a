"""Magazine Luiza through ID Magalu (OAuth 2.0 Authorization Code).

Rules from Magalu's "Obter Autorização do Seller via OAuth 2.0" (shared/seeds/001) and the facts
collected in shared/MAGALU.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import (
    NO_TENANT,
    ChosenTenant,
    OAuth2Config,
    StandardOAuth2Provider,
    TemporarilyUnavailable,
    TenantKind,
    TokenGrant,
    decode_jwt_claims,
)

# Tenant types that name a natural person rather than a store (inferred; the seller docs are
# silent). Whatever the type, a tenant equal to the token's subject is the person who logged in.
NATURAL_PERSON_TENANT_TYPES = frozenset({"person", "naturalperson", "natural_person", "user"})


@dataclass(frozen=True, kw_only=True)
class MagaluConfig(OAuth2Config):
    authorize_url: str = "https://id.magalu.com/login"
    token_url: str = "https://id.magalu.com/oauth/token"  # noqa: S105 (a URL)
    tenants_url: str = "https://id.magalu.com/account/api/v2/whoami/tenants"
    api_url: str = "https://api.magalu.com"
    healthcheck_path: str = "/seller/v1/orders?_limit=1"
    issuer: str = "https://id.magalu.com"


class MagaluProvider(StandardOAuth2Provider):
    key = "magalu"
    display_name = "Magazine Luiza"
    short_name = "Magalu"
    config_class = MagaluConfig
    settings_prefix = "MAGALU"
    config: MagaluConfig

    # Mandatory for sellers: ID Magalu asks which organization (store) grants access.
    extra_authorization_params: ClassVar[dict[str, str]] = {"choose_tenants": "true"}
    # The docs' exchange example posts JSON, their refresh example a form.
    exchange_body_format = "json"
    refresh_body_format = "form"

    def identify_tenant(self, *, grant: TokenGrant) -> ChosenTenant:
        """The store the seller picked: the access token's `tenant` claim, named by whoami."""
        claims = decode_jwt_claims(grant.access_token)
        if claims is None:
            return NO_TENANT
        tenant_id = _tenant_uuid(claims.get("tenant"))
        if tenant_id is None:
            return NO_TENANT
        subject = claims.get("sub")
        is_person = _tenant_type(claims.get("tenant")) in NATURAL_PERSON_TENANT_TYPES
        if is_person or (isinstance(subject, str) and subject.strip().lower() == tenant_id.lower()):
            # The seller consented as the natural person who logged in, not as a store.
            return ChosenTenant(tenant_id, "", "", TenantKind.NATURAL_PERSON, False)

        entry = self._find_tenant(tenant_id, access_token=grant.access_token)
        if entry is None:
            return ChosenTenant(tenant_id, "", "", TenantKind.LEGAL_ENTITY, False)
        return ChosenTenant(
            external_id=tenant_id,
            legal_name=_text(entry.get("legal_name")),
            email=_text(entry.get("email")),
            kind=TenantKind.LEGAL_ENTITY,
            has_seller_access=not self.missing_scopes(grant),
        )

    def _find_tenant(self, tenant_id: str, *, access_token: str) -> dict[str, Any] | None:
        response = self._api_get(
            self.config.tenants_url, access_token=access_token, operation="tenants"
        )
        try:
            tenants = response.json()
        except ValueError:
            tenants = None
        if not isinstance(tenants, list):
            self._log("integrations.provider.api_error", "tenants", response.status_code)
            raise TemporarilyUnavailable(
                f"{self.display_name}: resposta inválida da lista de contas",
                status=response.status_code,
            )
        for entry in tenants:
            if isinstance(entry, dict) and _text(entry.get("uuid")).lower() == tenant_id.lower():
                return entry
        return None


def _tenant_type(claim: Any) -> str:
    """`<TenantType>.<uuid>` -> TenantType, lower-cased ("" when absent)."""
    if not isinstance(claim, str) or "." not in claim:
        return ""
    return claim.strip().partition(".")[0].strip().lower()


def _tenant_uuid(claim: Any) -> str | None:
    """`<TenantType>.<uuid>` -> uuid: the part after the FIRST dot, as Magalu's own CLI reads it."""
    if not isinstance(claim, str):
        return None
    _, dot, after = claim.strip().partition(".")
    tenant_id = (after if dot else claim).strip()
    return tenant_id or None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
