"""Shopee (Shopee Open Platform v2, partner API), for shops of Shopee Brasil.

Rules from open.shopee.com, "Authorization and Authentication" and the API reference
(``v2.public.get_access_token``, ``v2.public.refresh_access_token``, ``v2.shop.get_shop_info``):

- every call is signed (``signing``); the token endpoints too, with JSON bodies;
- the seller authorizes on ``/api/v2/shop/auth_partner``; the redirect comes back with ``code``
  and ``shop_id`` (or ``main_account_id`` when a main account authorized several shops at once);
  the code is single use and lives 10 minutes; Shopee sends no ``state`` of its own, so the hub's
  state rides inside the redirect URL it registers;
- a main account's code gives one pair and ``shop_id_list`` (and ``merchant_id_list``): "each
  main_account_id will get the same initial access_token and refresh_token"; that refresh token
  "can only be used once by either a shop_id or merchant_id", each refreshed separately, and
  gives that shop an independent pair. So each shop becomes its own integration holding the
  shared pair, and its own first refresh (with its ``shop_id``) splits it off. Merchants
  (cross-border sellers' accounts) are not shops: the hub connects none;
- the access token lives 4 hours (``expire_in`` 14400) and the refresh token 30 days; every
  refresh returns a new pair and only the newest refresh token works;
- an authorization lasts at most 365 days (``get_shop_info``'s ``expire_time`` says when this
  one ends), after which the seller must authorize again.

The error codes Shopee answers for a spent code or refresh token are read as a dead grant
(``error_auth``, and RFC 6749's ``invalid_grant``); confirm the full list against the live docs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit

from marketplaces.base.errors import (
    ProviderError,
    ProviderMisconfigured,
    TemporarilyUnavailable,
)
from marketplaces.base.http import join_url, json_or_none, with_query
from marketplaces.base.oauth2 import StandardOAuth2Provider
from marketplaces.base.responses import number, text
from marketplaces.base.values import (
    AccountKind,
    AuthorizationCallback,
    Capability,
    ChosenAccount,
    TokenGrant,
    UnknownOutcomeRetry,
)
from marketplaces.shopee import signing
from marketplaces.shopee.config import ShopeeConfig
from marketplaces.shopee.orders import ShopeeOrderReader
from marketplaces.shopee.push import ShopeePushParser

# "The authorization is valid for a maximum of 365 days."
AUTHORIZATION_LIFETIME = timedelta(days=365)


class ShopeeProvider(StandardOAuth2Provider):
    key = "shopee"
    display_name = "Shopee"
    short_name = "Shopee"
    possessive_name = "da Shopee"
    login_screen = "Shopee"
    feminine = True  # "a Shopee"
    account_noun = "loja"
    # Shopee does not say whether a shop is a company's or a person's: a local shop of the
    # configured region is a seller's shop; any other (cross-border, another region) goes to
    # support, never connected on a guess.
    account_kind_names: ClassVar = {AccountKind.LEGAL_ENTITY: "loja da Shopee Brasil"}
    accepted_account_kinds = frozenset({AccountKind.LEGAL_ENTITY})
    account_hint = "entre com a conta da loja e clique em “Confirm Authorization”"
    several_accounts_hint = (
        "Se você tem mais de uma loja na Shopee, saia da conta atual na Shopee e entre com a "
        "loja certa antes de tentar de novo."
    )
    account_switch_needs_sign_out = True
    warning = (
        "**Importante:** na Shopee, entre com a conta **da loja**{account}. Com uma conta "
        "principal, você autoriza várias lojas de uma vez e confirma no hub quais conectar.",
        "A autorização vale por até **365 dias**; o hub avisa antes de ela acabar.",
    )
    logo = "marketplaces/shopee/logo.svg"
    capabilities = frozenset({Capability.ORDERS, Capability.SIGNED_CALLS, Capability.PUSH})
    orders_reader = ShopeeOrderReader
    push_parser = ShopeePushParser
    access_token_lifetime = timedelta(hours=4)  # "expire_in": 14400
    # Only the newest refresh token works and no grace period is documented.
    default_unknown_outcome_retry = UnknownOutcomeRetry.AFTER_WINDOW
    # Shopee's push warns 7 days before an authorization ends (push code 12).
    authorization_end_warning = timedelta(days=7)
    callback_params = ("shop_id", "main_account_id")
    config_class = ShopeeConfig
    settings_prefix = "SHOPEE"
    setting_names: ClassVar = {"client_id": "PARTNER_ID", "client_secret": "PARTNER_KEY"}
    config: ShopeeConfig

    scope_in_consent_url = False
    expires_in_field = "expire_in"
    error_description_fields = ("error_description", "message")
    account_id_field = "shop_id"
    accounts_field = "shop_id_list"  # a main account's shops (token/get with main_account_id)
    grant_revoked_errors = StandardOAuth2Provider.grant_revoked_errors | {"error_auth"}
    misconfiguration_errors = StandardOAuth2Provider.misconfiguration_errors | {
        "error_sign",
        "error_partner",
        "error_permission",
        "error_param",
    }
    access_token_rejected_errors = frozenset({"error_auth", "invalid_access_token"})

    @property
    def uses_pkce(self) -> bool:
        return False  # Shopee's consent request has no PKCE

    def authorization_url(self, *, state: str, code_challenge: str | None = None) -> str:
        # The state rides in the redirect URL: Shopee appends code and shop_id to it.
        query = self._signed(signing.AUTH_PARTNER_PATH)
        query["redirect"] = with_query(self.config.redirect_uri, {"state": state})
        return with_query(self.config.authorize_url, query)

    def exchange_code(self, callback: AuthorizationCallback) -> TokenGrant:
        """token/get with the callback's ``shop_id``, or with ``main_account_id``: then one pair
        for the shops in ``shop_id_list``."""
        shop_id = callback.params.get("shop_id", "")
        main_account_id = callback.params.get("main_account_id", "")
        if shop_id and main_account_id:
            raise ProviderError(f"{self.display_name}: retorno com shop_id e main_account_id")
        owner, owner_id = (
            ("main_account_id", main_account_id) if main_account_id else ("shop_id", shop_id)
        )
        if not owner_id.isdigit():
            raise ProviderError(f"{self.display_name}: retorno sem {owner} válido")
        grant = self._signed_token_request(
            {"code": callback.code, owner: int(owner_id)},
            operation="exchange",
            secrets=(callback.code, callback.code_verifier),
        )
        # The longest it can last; identify_account reads the exact end from the shop.
        ends = self._now() + AUTHORIZATION_LIFETIME
        if not main_account_id:
            return replace(grant, account_id=shop_id, accounts=(), authorization_expires_at=ends)
        if not grant.accounts or not all(shop.isdigit() for shop in grant.accounts):
            # No shop, or an id that is no shop_id: nothing is connected on a guess.
            raise ProviderError(
                f"{self.display_name}: conta principal sem lista de lojas válida (shop_id_list)"
            )
        return replace(grant, account_id="", authorization_expires_at=ends)

    def refresh(self, *, refresh_token: str, account_id: str = "") -> TokenGrant:
        if not account_id.isdigit():
            raise ProviderMisconfigured(f"{self.display_name}: renovação sem shop_id")
        grant = self._signed_token_request(
            {"refresh_token": refresh_token, "shop_id": int(account_id)},
            operation="refresh",
            secrets=(refresh_token,),
        )
        if grant.account_id not in ("", account_id):
            # A pair for another shop is not this one's: never stored. Shopee acted (the token
            # sent may be spent), so the evidence stays and the retry tells what became of it.
            self._log("integrations.provider.token_error", "refresh", error_code="other_shop")
            raise TemporarilyUnavailable(
                f"{self.display_name}: a renovação respondeu por outra loja", answered_in_doubt=True
            )
        return replace(grant, accounts=())

    @property
    def refresh_url(self) -> str:
        base = self.config.token_url.removesuffix(signing.TOKEN_GET_PATH)
        return f"{base}{signing.ACCESS_TOKEN_GET_PATH}"

    def identify_account(self, *, grant: TokenGrant) -> ChosenAccount:
        """The shop that authorized (``shop_id`` of the callback, or one of a main account's
        shops), named by ``get_shop_info``."""
        info = self.shop_call(
            signing.SHOP_INFO_PATH,
            access_token=grant.access_token,
            shop_id=grant.account_id,
            operation="shop_info",
        )
        region = text(info.get("region"), 10).upper()
        cross_border = info.get("is_cb") is True
        kind, kind_raw = AccountKind.LEGAL_ENTITY, region
        if region != self.config.region.upper() or cross_border:
            kind = AccountKind.UNKNOWN
            kind_raw = f"{region or 'região?'}{' cross-border' if cross_border else ''}"
        ends = number(info.get("expire_time"))
        return ChosenAccount(
            external_id=grant.account_id,
            name=text(info.get("shop_name")),
            kind=kind,
            kind_raw=kind_raw,
            # A banned or frozen shop cannot sell.
            has_seller_access=text(info.get("status"), 20).upper() in ("NORMAL", ""),
            authorization_expires_at=datetime.fromtimestamp(ends, UTC) if ends else None,
        )

    # --- signed calls ----------------------------------------------------------------------------

    def shop_call(
        self,
        api_path: str,
        *,
        access_token: str,
        shop_id: str,
        operation: str,
        params: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """GET a shop's API path; the body, or a typed error (Shopee also answers errors in a
        2xx body's ``error``)."""
        url = join_url(self.config.api_url, api_path)
        response = self.api_get(
            url, access_token=access_token, operation=operation, params=params, account_id=shop_id
        )
        body = json_or_none(response)
        if not isinstance(body, dict):
            self._log("integrations.provider.api_error", operation, response.status_code)
            raise TemporarilyUnavailable(
                f"{self.display_name}: resposta inválida da API", status=response.status_code
            )
        error = text(body.get("error"), 100)
        if error:
            self._log("integrations.provider.api_error", operation, response.status_code, error)
            raise ProviderMisconfigured(
                f"{self.display_name}: a API recusou a chamada ({error})", error_code=error
            )
        return body

    def api_credentials(
        self, url: str, *, access_token: str, account_id: str
    ) -> tuple[dict[str, str], dict[str, str]]:
        """A shop call's signed query; no Authorization header."""
        return self._signed(self._api_path(url), access_token=access_token, shop_id=account_id), {}

    def _api_path(self, url: str) -> str:
        """The documented path of a URL under the configured API host (a stand-in's prefix off)."""
        base = urlsplit(self.config.api_url).path.rstrip("/")
        path = urlsplit(url).path
        return path[len(base) :] if base and path.startswith(base) else path

    def _signed(self, api_path: str, *, access_token: str = "", shop_id: str = "") -> dict:
        call = signing.SignedCall(
            partner_id=self.config.client_id,
            api_path=api_path,
            timestamp=int(self._now().timestamp()),
            access_token=access_token,
            shop_id=shop_id,
        )
        return call.query(self.config.client_secret)

    def _signed_token_request(
        self, body: dict, *, operation: str, secrets: tuple[str | None, ...]
    ) -> TokenGrant:
        """A token request: signed, with a JSON body; token/get for a code, access_token/get for
        a renewal."""
        if operation == "refresh":
            url, api_path = self.refresh_url, signing.ACCESS_TOKEN_GET_PATH
        else:
            url, api_path = self.config.token_url, signing.TOKEN_GET_PATH
        return self._request_token(
            body | {"partner_id": self._partner_id()},
            "json",
            operation=operation,
            secrets=secrets,
            url=url,
            params=self._signed(api_path),
        )

    def _partner_id(self) -> int:
        if not self.config.client_id.isdigit():
            raise ProviderMisconfigured(f"{self.display_name}: SHOPEE_PARTNER_ID não é numérico")
        return int(self.config.client_id)


Provider = ShopeeProvider
