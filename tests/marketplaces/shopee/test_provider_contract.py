"""Shopee's provider runs the shared contract, saying through the hooks how it differs from plain
RFC 6749: signed calls (query), JSON bodies, ``expire_in``, the redirect carrying our state, the
shop's id on every call; plus what is its own (the signature itself, main accounts, the shop)."""

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from marketplaces import ProviderError, ProviderMisconfigured, TemporarilyUnavailable
from marketplaces.base.values import AccountKind, AuthorizationCallback, TokenGrant
from marketplaces.shopee import signing
from marketplaces.shopee.config import ShopeeConfig
from marketplaces.shopee.provider import ShopeeProvider
from tests.integrations.providers.contract import (
    ACCESS_TOKEN,
    ACCOUNT_ID,
    CLIENT_SECRET,
    CODE,
    FIXED_NOW,
    REDIRECT_URI,
    REFRESH_TOKEN,
    STATE,
    OAuth2ProviderContract,
)

PARTNER_ID = "2001234"
HOST = "https://partner.shopee.test"
TIMESTAMP = int(FIXED_NOW.timestamp())


def _sign(path: str, access_token: str = "", shop_id: str = "") -> str:
    call = signing.SignedCall(
        partner_id=PARTNER_ID,
        api_path=path,
        timestamp=TIMESTAMP,
        access_token=access_token,
        shop_id=shop_id,
    )
    return call.signature(CLIENT_SECRET)


@pytest.fixture
def provider():
    config = ShopeeConfig(
        client_id=PARTNER_ID,
        client_secret=CLIENT_SECRET,
        redirect_uri=REDIRECT_URI,
        scopes=("shop", "order"),
        authorize_url=f"{HOST}{signing.AUTH_PARTNER_PATH}",
        token_url=f"{HOST}{signing.TOKEN_GET_PATH}",
        api_url=HOST,
    )
    return ShopeeProvider(config, clock=lambda: FIXED_NOW)


class TestShopeeContract(OAuth2ProviderContract):
    expires_in_field = "expire_in"
    redirect_param = "redirect"
    supports_pkce = False
    exchange_sends_redirect_uri = False
    callback_extra = {"shop_id": ACCOUNT_ID}

    def token_url(self, provider, operation):
        return provider.config.token_url if operation == "exchange" else provider.refresh_url

    def consent_state(self, url):
        redirect = dict(parse_qsl(urlsplit(url).query))["redirect"]
        return dict(parse_qsl(urlsplit(redirect).query))["state"]

    def assert_access_token_sent(self, call):
        query = dict(parse_qsl(urlsplit(call.request.url).query))
        assert "Authorization" not in call.request.headers
        assert query["access_token"] == ACCESS_TOKEN
        assert query["shop_id"] == ACCOUNT_ID
        assert query["sign"] == _sign(signing.SHOP_INFO_PATH, ACCESS_TOKEN, ACCOUNT_ID)

    @pytest.fixture
    def expected_consent_params(self):
        return {
            "partner_id": PARTNER_ID,
            "timestamp": str(TIMESTAMP),
            "sign": _sign(signing.AUTH_PARTNER_PATH),
            "redirect": f"{REDIRECT_URI}&state={STATE}",
        }

    @pytest.fixture
    def exchange_content_type(self):
        return "application/json"

    @pytest.fixture
    def expected_exchange_body(self):
        return {"code": CODE, "shop_id": int(ACCOUNT_ID), "partner_id": int(PARTNER_ID)}

    @pytest.fixture
    def refresh_content_type(self):
        return "application/json"

    @pytest.fixture
    def expected_refresh_body(self):
        return {
            "refresh_token": REFRESH_TOKEN,
            "shop_id": int(ACCOUNT_ID),
            "partner_id": int(PARTNER_ID),
        }

    @pytest.fixture
    def healthcheck_url(self):
        return f"{HOST}{signing.SHOP_INFO_PATH}"


# --- what is Shopee's own --------------------------------------------------------------------


@pytest.fixture
def http():
    with responses.RequestsMock() as mock:
        yield mock


TOKEN_BODY = {
    "access_token": ACCESS_TOKEN,
    "refresh_token": "new-refresh",
    "expire_in": 14400,
    "request_id": "r1",
    "error": "",
    "message": "",
}


def test_the_token_calls_are_signed_public_calls(provider, http):
    http.add(responses.POST, f"{HOST}{signing.TOKEN_GET_PATH}", json=TOKEN_BODY)
    http.add(responses.POST, f"{HOST}{signing.ACCESS_TOKEN_GET_PATH}", json=TOKEN_BODY)

    provider.exchange_code(AuthorizationCallback(CODE, params={"shop_id": "880001"}))
    provider.refresh(refresh_token=REFRESH_TOKEN, account_id="880001")

    exchange, refresh = (dict(parse_qsl(urlsplit(c.request.url).query)) for c in http.calls)
    assert exchange == {
        "partner_id": PARTNER_ID,
        "timestamp": str(TIMESTAMP),
        "sign": _sign(signing.TOKEN_GET_PATH),
    }
    assert refresh["sign"] == _sign(signing.ACCESS_TOKEN_GET_PATH)


def test_the_sign_is_hmac_sha256_of_the_documented_base_string():
    import hashlib
    import hmac

    base = f"{PARTNER_ID}/api/v2/shop/get_shop_info{TIMESTAMP}tok880001"
    expected = hmac.new(CLIENT_SECRET.encode(), base.encode(), hashlib.sha256).hexdigest()

    assert _sign("/api/v2/shop/get_shop_info", "tok", "880001") == expected


def test_a_stand_in_prefix_is_not_part_of_the_signed_path(provider, http):
    local = ShopeeProvider(
        replace(provider.config, api_url="http://127.0.0.1:8000/sandbox/shopee-api"),
        clock=lambda: FIXED_NOW,
    )
    url = "http://127.0.0.1:8000/sandbox/shopee-api/api/v2/shop/get_shop_info"
    http.add(responses.GET, url, json={"shop_name": "x", "error": ""})

    local.check_access_token(access_token="tok", account_id="880001")

    query = dict(parse_qsl(urlsplit(http.calls[0].request.url).query))
    assert query["sign"] == _sign(signing.SHOP_INFO_PATH, "tok", "880001")


def test_the_exchange_grant_names_the_shop_and_the_longest_authorization(provider, http):
    http.add(responses.POST, f"{HOST}{signing.TOKEN_GET_PATH}", json=TOKEN_BODY)

    grant = provider.exchange_code(
        AuthorizationCallback(CODE, params={"shop_id": "880001", "main_account_id": ""})
    )

    assert grant.account_id == "880001"
    assert grant.expires_at == FIXED_NOW + timedelta(hours=4)
    assert grant.authorization_expires_at == FIXED_NOW + timedelta(days=365)


def test_a_main_account_s_code_gives_one_pair_for_its_shops(provider, http):
    body = {**TOKEN_BODY, "shop_id_list": [880001, 880003], "merchant_id_list": []}
    http.add(responses.POST, f"{HOST}{signing.TOKEN_GET_PATH}", json=body)

    grant = provider.exchange_code(
        AuthorizationCallback(CODE, params={"shop_id": "", "main_account_id": "770001"})
    )

    assert (grant.account_id, grant.accounts) == ("", ("880001", "880003"))
    assert grant.authorization_expires_at == FIXED_NOW + timedelta(days=365)
    request = http.calls[0].request
    assert json.loads(request.body) == {
        "code": CODE,
        "main_account_id": 770001,
        "partner_id": int(PARTNER_ID),
    }
    query = dict(parse_qsl(urlsplit(request.url).query))
    assert query["sign"] == _sign(signing.TOKEN_GET_PATH)


@pytest.mark.parametrize(
    "shops",
    [None, [], "880001", ["880001", "loja"], [880001, 880001], [True], [{"shop_id": 1}]],
)
def test_a_main_account_without_a_readable_shop_list_fails_closed(provider, http, shops):
    body = {**TOKEN_BODY, "merchant_id_list": []}
    if shops is not None:
        body["shop_id_list"] = shops
    http.add(responses.POST, f"{HOST}{signing.TOKEN_GET_PATH}", json=body)

    with pytest.raises(ProviderError):
        provider.exchange_code(
            AuthorizationCallback(CODE, params={"shop_id": "", "main_account_id": "770001"})
        )


@pytest.mark.parametrize(
    "extra", [{"main_account_id": "77x"}, {"shop_id": "880001", "main_account_id": "770001"}]
)
def test_an_unreadable_main_account_callback_sends_nothing(provider, http, extra):
    with pytest.raises(ProviderError):
        provider.exchange_code(AuthorizationCallback(CODE, params=extra))
    assert len(http.calls) == 0


def test_a_renewal_that_names_another_shop_is_never_taken(provider, http):
    body = {**TOKEN_BODY, "shop_id": 880003, "partner_id": int(PARTNER_ID)}
    http.add(responses.POST, f"{HOST}{signing.ACCESS_TOKEN_GET_PATH}", json=body)

    with pytest.raises(TemporarilyUnavailable) as raised:
        provider.refresh(refresh_token=REFRESH_TOKEN, account_id="880001")

    assert raised.value.answered_in_doubt  # Shopee acted: the token sent may be spent


@pytest.mark.parametrize("extra", [{}, {"shop_id": ""}, {"shop_id": "12a"}])
def test_a_callback_without_a_shop_id_is_a_provider_error(provider, http, extra):
    with pytest.raises(ProviderError):
        provider.exchange_code(AuthorizationCallback(CODE, params=extra))
    assert len(http.calls) == 0


def test_a_renewal_needs_the_shop_id(provider, http):
    with pytest.raises(ProviderMisconfigured):
        provider.refresh(refresh_token=REFRESH_TOKEN)
    assert len(http.calls) == 0


def test_error_auth_is_a_dead_grant_with_shopee_s_message(provider, http):
    from marketplaces import GrantRevoked

    http.add(
        responses.POST,
        provider.refresh_url,
        status=403,
        json={"error": "error_auth", "message": "Invalid refresh_token.", "request_id": "r"},
    )

    with pytest.raises(GrantRevoked) as raised:
        provider.refresh(refresh_token=REFRESH_TOKEN, account_id="880001")

    assert raised.value.error_code == "error_auth"
    assert "Invalid refresh_token." in str(raised.value)


def _grant(shop_id="880001") -> TokenGrant:
    return TokenGrant(ACCESS_TOKEN, "r", FIXED_NOW, frozenset(), account_id=shop_id)


def _shop(http, **body):
    info = {"shop_name": "Loja Exemplo Shopee", "region": "BR", "status": "NORMAL"}
    http.add(
        responses.GET,
        f"{HOST}{signing.SHOP_INFO_PATH}",
        json={"error": "", "message": "", **info, **body},
    )


def test_the_shop_is_identified_with_its_authorization_end(provider, http):
    ends = datetime(2026, 12, 1, tzinfo=UTC)
    _shop(http, expire_time=int(ends.timestamp()), is_cb=False)

    account = provider.identify_account(grant=_grant())

    assert (account.external_id, account.name) == ("880001", "Loja Exemplo Shopee")
    assert account.kind is AccountKind.LEGAL_ENTITY and account.has_seller_access
    assert account.authorization_expires_at == ends


@pytest.mark.parametrize(
    ("body", "raw"),
    [({"region": "MX"}, "MX"), ({"is_cb": True}, "BR cross-border"), ({"region": ""}, "região?")],
)
def test_a_shop_of_another_region_or_cross_border_goes_to_support(provider, http, body, raw):
    _shop(http, **body)

    account = provider.identify_account(grant=_grant())

    assert (account.kind, account.kind_raw) == (AccountKind.UNKNOWN, raw)


def test_a_banned_shop_has_no_seller_access(provider, http):
    _shop(http, status="BANNED")

    assert provider.identify_account(grant=_grant()).has_seller_access is False


def test_an_error_in_a_2xx_api_body_is_not_taken_as_data(provider, http):
    http.add(
        responses.GET,
        f"{HOST}{signing.SHOP_INFO_PATH}",
        json={"error": "error_server", "message": "busy"},
    )

    with pytest.raises(ProviderMisconfigured):
        provider.identify_account(grant=_grant())


def test_a_403_error_auth_on_the_api_is_a_rejected_access_token(provider, http):
    from marketplaces import AccessTokenRejected

    http.add(
        responses.GET,
        f"{HOST}{signing.SHOP_INFO_PATH}",
        status=403,
        json={"error": "invalid_access_token", "message": "Invalid access_token."},
    )

    with pytest.raises(AccessTokenRejected):
        provider.check_access_token(access_token=ACCESS_TOKEN, account_id="880001")


def test_the_partner_key_and_settings_names_are_shopee_s():
    from marketplaces.base.configuration import setting_name

    assert setting_name(ShopeeProvider, "client_secret") == "SHOPEE_PARTNER_KEY"
    assert setting_name(ShopeeProvider, "client_id") == "SHOPEE_PARTNER_ID"
    assert CLIENT_SECRET not in repr(
        ShopeeConfig(client_id="1", client_secret=CLIENT_SECRET, redirect_uri=REDIRECT_URI)
    )
