"""Mercado Livre (OAuth 2.0 Authorization Code with PKCE), Brazil's site (MLB).

Rules from Mercado Livre's developer docs, "Autenticação e Autorização" and "Registre o seu
aplicativo": form-encoded token requests; ``expires_in`` 21600 (6 h); a single-use refresh token,
rotated on every refresh; the account is the token response's ``user_id``; only the account's
administrator can authorize, an operator (collaborator) login gets ``invalid_operator_user_id``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from marketplaces.base.documents import document_number, masked_document
from marketplaces.base.errors import ProviderMisconfigured, TemporarilyUnavailable
from marketplaces.base.http import join_url, json_or_none
from marketplaces.base.oauth2 import StandardOAuth2Provider
from marketplaces.base.responses import identifier, text
from marketplaces.base.values import (
    AccountKind,
    Capability,
    ChosenAccount,
    TokenGrant,
    UnknownOutcomeRetry,
)
from marketplaces.mercadolivre.config import MercadoLivreConfig
from marketplaces.mercadolivre.missed_feeds import MercadoLivreMissedFeedReader
from marketplaces.mercadolivre.orders import MercadoLivreOrderReader
from marketplaces.mercadolivre.push import MercadoLivrePushParser

# identification.type on /users/me, as Mercado Livre spells it for Brazil.
_KINDS = {"CNPJ": AccountKind.LEGAL_ENTITY, "CPF": AccountKind.NATURAL_PERSON}


class MercadoLivreProvider(StandardOAuth2Provider):
    key = "mercadolivre"
    display_name = "Mercado Livre"
    short_name = "Mercado Livre"
    possessive_name = "do Mercado Livre"
    login_screen = "Mercado Livre"
    account_noun = "conta"
    account_kind_names: ClassVar = {
        AccountKind.LEGAL_ENTITY: "conta de empresa (CNPJ)",
        AccountKind.NATURAL_PERSON: "conta de pessoa física (CPF)",
    }
    # Many Mercado Livre sellers are individuals: a CPF account sells too.
    accepted_account_kinds = frozenset({AccountKind.LEGAL_ENTITY, AccountKind.NATURAL_PERSON})
    account_hint = (
        "entre com o login do administrador da conta (o titular, não um usuário operador ou "
        "colaborador) e clique em “Permitir”"
    )
    several_accounts_hint = (
        "Se você tem mais de uma conta no Mercado Livre, saia da conta atual no Mercado Livre e "
        "entre com a conta certa antes de tentar de novo."
    )
    account_switch_needs_sign_out = True
    operator_login_hint = (
        "Só o administrador da conta do Mercado Livre pode autorizar integrações, e o login usado "
        "é de um usuário operador ou colaborador. Saia do Mercado Livre, entre com o login do "
        "administrador (o titular da conta) e tente novamente."
    )
    warning = (
        "**Importante:** só o **administrador** da conta do Mercado Livre (o titular) pode "
        "autorizar integrações. Entre com o login do administrador neste mesmo navegador; um "
        "usuário operador ou colaborador não consegue autorizar.",
        "No Mercado Livre, confira a conta{account} e clique em “Permitir”. Se você tem mais de "
        "uma conta, saia da conta atual no Mercado Livre antes de continuar.",
    )
    logo = "marketplaces/mercadolivre/logo.svg"
    capabilities = frozenset({Capability.ORDERS, Capability.PKCE, Capability.PUSH})
    orders_reader = MercadoLivreOrderReader
    push_parser = MercadoLivrePushParser
    missed_feed_reader = MercadoLivreMissedFeedReader
    access_token_lifetime = timedelta(seconds=21600)  # "expires_in": 21600
    # Refresh tokens are single use and no grace period is documented: never race a late original.
    default_unknown_outcome_retry = UnknownOutcomeRetry.AFTER_WINDOW
    config_class = MercadoLivreConfig
    settings_prefix = "MERCADOLIVRE"
    config: MercadoLivreConfig

    # The scopes are the application's (set when it is registered), not the consent URL's.
    scope_in_consent_url = False
    exchange_body_format = "form"
    refresh_body_format = "form"
    account_id_field = "user_id"
    operator_login_errors = frozenset({"invalid_operator_user_id"})
    misconfiguration_errors = StandardOAuth2Provider.misconfiguration_errors | {"forbidden"}

    def identify_account(self, *, grant: TokenGrant) -> ChosenAccount:
        """The account that authorized: ``user_id`` of the grant, named by ``/users/me``."""
        me = self._users_me(access_token=grant.access_token)
        account_id = identifier(me.get("id"))
        if not account_id or (grant.account_id and account_id != grant.account_id):
            self._log("integrations.provider.api_error", "users_me")
            raise ProviderMisconfigured(
                f"{self.display_name}: /users/me não corresponde à conta que autorizou"
            )
        identification = me.get("identification")
        identification = identification if isinstance(identification, dict) else {}
        document_type = text(identification.get("type"), 20).upper()
        site = text(me.get("site_id"), 10).upper()
        kind = _KINDS.get(document_type, AccountKind.UNKNOWN)
        kind_raw = document_type
        if site != self.config.site_id.upper():
            kind, kind_raw = AccountKind.UNKNOWN, f"{site or 'site?'} {document_type}".strip()
        return ChosenAccount(
            external_id=account_id,
            name=text(me.get("nickname")),
            email=text(me.get("email")),
            kind=kind,
            kind_raw=kind_raw,
            has_seller_access=not self.missing_scopes(grant),
            document=masked_document(text(identification.get("number"), 20), document_type),
            document_number=document_number(text(identification.get("number"), 20), document_type),
        )

    def _users_me(self, *, access_token: str) -> dict[str, Any]:
        url = join_url(self.config.api_url, "/users/me")
        response = self.api_get(url, access_token=access_token, operation="users_me")
        body = json_or_none(response)
        if not isinstance(body, dict):
            self._log("integrations.provider.api_error", "users_me", response.status_code)
            raise TemporarilyUnavailable(
                f"{self.display_name}: resposta inválida de /users/me", status=response.status_code
            )
        return body


Provider = MercadoLivreProvider
