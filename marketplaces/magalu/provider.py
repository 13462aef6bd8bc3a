"""Magazine Luiza through ID Magalu (OAuth 2.0 Authorization Code with ``choose_tenants=true``).

Rules from Magalu's "Obter Autorização do Seller via OAuth 2.0" (developers.magalu.com) and the
Magis5 help article on reactivating an expired Magalu token: the seller signs in with the store's
Master access and picks the account with the "Pessoa Jurídica" option.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from marketplaces.base.documents import document_number, masked_document
from marketplaces.base.errors import TemporarilyUnavailable
from marketplaces.base.http import json_or_none
from marketplaces.base.oauth2 import StandardOAuth2Provider
from marketplaces.base.responses import decode_jwt_claims, text
from marketplaces.base.values import (
    NO_ACCOUNT,
    AccountKind,
    Capability,
    ChosenAccount,
    TokenGrant,
    UnknownOutcomeRetry,
)
from marketplaces.magalu.config import MagaluConfig
from marketplaces.magalu.orders import MagaluOrderReader
from marketplaces.magalu.push import MagaluPushParser

# How a tenant type may be spelled, normalised (lower case, no spaces, "-" or "_"). ID Magalu
# documents none of them: Magalu's own CLI reads the type off the JWT's `tenant` claim
# ("<TenantType>.<uuid>") without naming the values. Anything else is UNKNOWN: support looks.
_LEGAL_ENTITY_TYPES = frozenset(
    {"pj", "pessoajuridica", "juridica", "organization", "organisation", "org", "company",
     "legalentity", "business", "store", "loja", "seller"}
)  # fmt: skip
_NATURAL_PERSON_TYPES = frozenset(
    {"pf", "pessoafisica", "fisica", "person", "naturalperson", "individual", "user"}
)
# Members of a whoami/tenants entry that may name its type, in the order they are trusted.
_ENTRY_TYPE_MEMBERS = ("type", "tenant_type", "kind", "person_type")


class MagaluProvider(StandardOAuth2Provider):
    key = "magalu"
    display_name = "Magazine Luiza"
    short_name = "Magalu"
    possessive_name = "Magalu"
    login_screen = "ID Magalu"
    account_noun = "Pessoa Jurídica"
    account_kind_names: ClassVar = {
        AccountKind.LEGAL_ENTITY: "Pessoa Jurídica",
        AccountKind.NATURAL_PERSON: "Pessoa Física",
    }
    # Only a store (a Pessoa Jurídica) sells: the consent of a natural person lacks the seller
    # scopes ("Login com credenciais de pessoa física pode não ter acesso aos escopos").
    accepted_account_kinds = frozenset({AccountKind.LEGAL_ENTITY})
    account_hint = (
        "entre com o acesso Master da loja, escolha a conta com a opção “Pessoa Jurídica” e "
        "clique em “Continuar”"
    )
    # The ID Magalu chooser lists every Pessoa Jurídica of the login: picking the right one is
    # enough, no sign-out needed.
    several_accounts_hint = ""
    refused_kind_hint = "Entre com o acesso Master da loja e escolha a opção “Pessoa Jurídica”."
    warning = (
        "**Importante:** a conta precisa estar logada "
        "neste mesmo navegador, utilizando o acesso **Master** do Magalu. Caso outro tipo de "
        "acesso seja utilizado, o procedimento não funcionará corretamente.",
        "Na tela do ID Magalu, escolha a conta com a opção **“Pessoa Jurídica”**{account} e "
        "clique em “Continuar”. Se o seu login tiver mais de uma Pessoa Jurídica, todas aparecem "
        "nessa tela: escolha a desta integração.",
    )
    logo = "marketplaces/magalu/logo.svg"
    capabilities = frozenset({Capability.ORDERS, Capability.PUSH})
    orders_reader = MagaluOrderReader
    push_parser = MagaluPushParser
    # "expires_in: Tempo de vida do access_token em segundos (exemplo: 7200 = 2 horas)".
    access_token_lifetime = timedelta(hours=2)
    # ID Magalu documents neither a grace period for a just-rotated refresh token nor what a reuse
    # does: assume the strict server (reuse revokes the grant) and never race a late original.
    default_unknown_outcome_retry = UnknownOutcomeRetry.AFTER_WINDOW
    config_class = MagaluConfig
    settings_prefix = "MAGALU"
    config: MagaluConfig

    # Mandatory for sellers: ID Magalu asks which organization (store) grants access.
    extra_authorization_params: ClassVar[dict[str, str]] = {"choose_tenants": "true"}
    # The docs' exchange example posts JSON, their refresh example a form.
    exchange_body_format = "json"
    refresh_body_format = "form"

    def _outbound_urls(self) -> list[str]:
        return [*super()._outbound_urls(), self.config.tenants_url]

    def identify_account(self, *, grant: TokenGrant) -> ChosenAccount:
        """The tenant the seller picked: the access token's `tenant` claim, named by whoami."""
        claims = decode_jwt_claims(grant.access_token)
        tenant_type, tenant_id = _split_tenant_claim(claims.get("tenant") if claims else None)
        if tenant_id is None:
            return NO_ACCOUNT
        found = self._find_tenant(tenant_id, access_token=grant.access_token)
        entry = found or {}
        kind, kind_raw = _kind(tenant_type), tenant_type
        if kind is AccountKind.UNKNOWN:
            entry_type = next(
                (text(entry.get(m)) for m in _ENTRY_TYPE_MEMBERS if text(entry.get(m))), ""
            )
            kind, kind_raw = _kind(entry_type), (kind_raw or entry_type)
        subject = claims.get("sub") if claims else None
        if isinstance(subject, str) and subject.strip().lower() == tenant_id.lower():
            # Consent as the natural person who logged in, whatever the type says.
            kind = AccountKind.NATURAL_PERSON
        return ChosenAccount(
            external_id=tenant_id,
            name=text(entry.get("legal_name")) or text(entry.get("name")),
            email=text(entry.get("email")),
            kind=kind,
            kind_raw=kind_raw[:64],
            # whoami lists the tenants the login may act for; one missing from it has no access.
            has_seller_access=found is not None and not self.missing_scopes(grant),
            document=masked_document(text(entry.get("document"), 40)),
            document_number=document_number(text(entry.get("document"), 40)),
        )

    def _find_tenant(self, tenant_id: str, *, access_token: str) -> dict[str, Any] | None:
        response = self.api_get(
            self.config.tenants_url, access_token=access_token, operation="tenants"
        )
        tenants = json_or_none(response)
        if not isinstance(tenants, list):
            self._log("integrations.provider.api_error", "tenants", response.status_code)
            raise TemporarilyUnavailable(
                f"{self.display_name}: resposta inválida da lista de contas",
                status=response.status_code,
            )
        for entry in tenants:
            if isinstance(entry, dict) and text(entry.get("uuid")).lower() == tenant_id.lower():
                return entry
        return None


def _split_tenant_claim(claim: Any) -> tuple[str, str | None]:
    """`<TenantType>.<uuid>` -> (TenantType, uuid), split at the FIRST dot as Magalu's CLI does.

    A claim without a dot is a bare id whose type nobody told us.
    """
    if not isinstance(claim, str) or not claim.strip():
        return "", None
    before, dot, after = claim.strip().partition(".")
    tenant_type, tenant_id = (before.strip(), after.strip()) if dot else ("", before.strip())
    return tenant_type, (tenant_id or None)


def _kind(name: str) -> AccountKind:
    normalised = "".join(ch for ch in name.lower() if ch.isalnum())
    if normalised in _LEGAL_ENTITY_TYPES:
        return AccountKind.LEGAL_ENTITY
    if normalised in _NATURAL_PERSON_TYPES:
        return AccountKind.NATURAL_PERSON
    return AccountKind.UNKNOWN


Provider = MagaluProvider
