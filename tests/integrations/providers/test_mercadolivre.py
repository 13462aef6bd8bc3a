"""The Mercado Livre provider: the shared contract, and who authorized (``user_id``, /users/me)."""

from __future__ import annotations

import pytest
import responses

from marketplaces import (
    AccessTokenRejected,
    AccountKind,
    ChosenAccount,
    GrantRevoked,
    OperatorLogin,
    ProviderMisconfigured,
    TemporarilyUnavailable,
    TokenGrant,
    UnknownOutcomeRetry,
)
from marketplaces.mercadolivre.config import MercadoLivreConfig
from marketplaces.mercadolivre.provider import MercadoLivreProvider

from .contract import (
    ACCESS_TOKEN,
    CLIENT_ID,
    CLIENT_SECRET,
    CODE,
    FIXED_NOW,
    NEW_REFRESH_TOKEN,
    REDIRECT_URI,
    REFRESH_TOKEN,
    OAuth2ProviderContract,
    call_token_endpoint,
)

USERS_ME = "https://api.mercadolibre.com/users/me"
SCOPES = ("offline_access", "read")


@pytest.fixture
def config() -> MercadoLivreConfig:
    return MercadoLivreConfig(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uri=REDIRECT_URI, scopes=SCOPES
    )


@pytest.fixture
def provider(config) -> MercadoLivreProvider:
    return MercadoLivreProvider(config, clock=lambda: FIXED_NOW)


@pytest.fixture
def http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


class TestMercadoLivreContract(OAuth2ProviderContract):
    @pytest.fixture
    def token_response(self) -> dict:
        # "Autenticação e Autorização": the answer names the account and is valid 6 hours.
        return {
            "access_token": ACCESS_TOKEN,
            "token_type": "bearer",
            "expires_in": 21600,
            "scope": "offline_access read",
            "user_id": 123456001,
            "refresh_token": NEW_REFRESH_TOKEN,
        }

    @pytest.fixture
    def expected_consent_params(self) -> dict[str, str]:
        return {
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "response_type": "code",
            "state": "state-0123456789abcdef",
        }

    @pytest.fixture
    def exchange_content_type(self) -> str:
        return "application/x-www-form-urlencoded"

    @pytest.fixture
    def expected_exchange_body(self) -> dict[str, str]:
        return {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uri": REDIRECT_URI,
            "code": CODE,
            "grant_type": "authorization_code",
        }

    @pytest.fixture
    def refresh_content_type(self) -> str:
        return "application/x-www-form-urlencoded"

    @pytest.fixture
    def expected_refresh_body(self) -> dict[str, str]:
        return {
            "grant_type": "refresh_token",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "refresh_token": REFRESH_TOKEN,
        }

    @pytest.fixture
    def healthcheck_url(self) -> str:
        return USERS_ME


# --- the grant names the account -----------------------------------------------------------------


def test_the_grant_carries_the_user_id_and_lives_six_hours(provider, http):
    http.add(
        responses.POST,
        provider.config.token_url,
        json={
            "access_token": "APP_USR-x",
            "token_type": "bearer",
            "expires_in": 21600,
            "scope": "offline_access read write",
            "user_id": 123456001,
            "refresh_token": "TG-x",
        },
    )

    grant = provider.refresh(refresh_token=REFRESH_TOKEN)

    assert grant.account_id == "123456001"
    assert (grant.expires_at - FIXED_NOW).total_seconds() == 21600


def test_an_operator_login_is_its_own_error(provider, http):
    for operation in ("exchange", "refresh"):
        http.add(
            responses.POST,
            provider.config.token_url,
            status=400,
            json={"error": "invalid_operator_user_id", "message": "operator"},
        )
        with pytest.raises(OperatorLogin) as raised:
            call_token_endpoint(provider, operation)
        assert not isinstance(raised.value, GrantRevoked)


def test_forbidden_from_the_token_endpoint_is_our_configuration(provider, http):
    http.add(responses.POST, provider.config.token_url, status=403, json={"error": "forbidden"})

    with pytest.raises(ProviderMisconfigured):
        provider.refresh(refresh_token=REFRESH_TOKEN)


def test_retries_after_an_unknown_outcome_wait_out_the_window():
    """Single-use refresh tokens, no grace period documented: the conservative policy."""
    assert MercadoLivreProvider.default_unknown_outcome_retry is UnknownOutcomeRetry.AFTER_WINDOW


# --- which account authorized ---------------------------------------------------------------------


def grant_for(account_id: str = "123456001", scopes=SCOPES) -> TokenGrant:
    return TokenGrant(
        access_token="APP_USR-SECRET",
        refresh_token="TG-SECRET",
        expires_at=FIXED_NOW,
        scopes=frozenset(scopes),
        account_id=account_id,
    )


def me(**changes) -> dict:
    body = {
        "id": 123456001,
        "nickname": "LOJAEXEMPLO",
        "site_id": "MLB",
        "email": "loja@exemplo.com.br",
        "identification": {"type": "CNPJ", "number": "11222333000181"},
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("identification", "kind", "document"),
    [
        (
            {"type": "CNPJ", "number": "11222333000181"},
            AccountKind.LEGAL_ENTITY,
            "CNPJ ••.•••.•••/0001-81",
        ),
        (
            {"type": "CPF", "number": "52998224725"},
            AccountKind.NATURAL_PERSON,
            "CPF •••.•••.•••-25",
        ),
        ({"type": "DNI", "number": "12345678"}, AccountKind.UNKNOWN, ""),
        ({}, AccountKind.UNKNOWN, ""),
        (None, AccountKind.UNKNOWN, ""),
    ],
)
def test_the_account_is_the_user_id_named_by_users_me(
    provider, http, identification, kind, document
):
    http.add(responses.GET, USERS_ME, json=me(identification=identification))

    account = provider.identify_account(grant=grant_for())

    assert account == ChosenAccount(
        external_id="123456001",
        name="LOJAEXEMPLO",
        email="loja@exemplo.com.br",
        kind=kind,
        kind_raw=(identification or {}).get("type", ""),
        has_seller_access=True,
        document=document,
        # The whole number, kept for support's search only (the screens show ``document``).
        document_number=(identification or {}).get("number", "") if document else "",
    )
    (call,) = http.calls
    assert call.request.headers["Authorization"] == "Bearer APP_USR-SECRET"


def test_both_kinds_are_accepted_here():
    assert MercadoLivreProvider.accepted_account_kinds == {
        AccountKind.LEGAL_ENTITY,
        AccountKind.NATURAL_PERSON,
    }


def test_an_account_of_another_site_is_not_recognised(provider, http):
    http.add(responses.GET, USERS_ME, json=me(site_id="MLA", identification={"type": "CUIT"}))

    account = provider.identify_account(grant=grant_for())

    assert account.kind is AccountKind.UNKNOWN
    assert account.kind_raw == "MLA CUIT"


def test_users_me_for_another_account_than_the_grant_is_refused(provider, http):
    http.add(responses.GET, USERS_ME, json=me(id=999))

    with pytest.raises(ProviderMisconfigured):
        provider.identify_account(grant=grant_for())


def test_a_grant_without_offline_access_has_no_seller_access(provider, http):
    http.add(responses.GET, USERS_ME, json=me())

    assert provider.identify_account(grant=grant_for(scopes=("read",))).has_seller_access is False


@pytest.mark.parametrize(
    ("status", "body", "error_class"),
    [
        (403, {"error": "invalid_operator_user_id", "status": 403}, OperatorLogin),
        (403, {"error": "forbidden", "status": 403}, ProviderMisconfigured),
        (401, {"error": "unauthorized"}, AccessTokenRejected),
        (200, ["not", "an", "object"], TemporarilyUnavailable),
        (503, None, TemporarilyUnavailable),
    ],
)
def test_users_me_errors(provider, http, status, body, error_class):
    http.add(responses.GET, USERS_ME, status=status, json=body)

    with pytest.raises(error_class):
        provider.identify_account(grant=grant_for())


def test_the_health_check_of_an_operator_grant_says_operator(provider, http):
    http.add(responses.GET, USERS_ME, status=403, json={"error": "invalid_operator_user_id"})

    with pytest.raises(OperatorLogin):
        provider.check_access_token(access_token="APP_USR-SECRET")


def test_config_defaults_are_the_production_hosts(config):
    assert config.authorize_url == "https://auth.mercadolivre.com.br/authorization"
    assert config.token_url == "https://api.mercadolibre.com/oauth/token"
    assert config.api_url == "https://api.mercadolibre.com"
    assert config.healthcheck_path == "/users/me"
    assert config.use_pkce is True
    assert config.site_id == "MLB"
