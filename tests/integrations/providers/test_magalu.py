"""The Magalu provider: the shared contract, tenant identification and the registry."""

from __future__ import annotations

import base64
import json

import pytest
import requests
import responses

from marketplaces import (
    AccessTokenRejected,
    AccountKind,
    ChosenAccount,
    ProviderMisconfigured,
    TemporarilyUnavailable,
    TokenGrant,
)
from marketplaces.base.values import NO_ACCOUNT
from marketplaces.magalu.config import MagaluConfig
from marketplaces.magalu.provider import MagaluProvider

from .contract import (
    CLIENT_ID,
    CLIENT_SECRET,
    CODE,
    FIXED_NOW,
    REDIRECT_URI,
    REFRESH_TOKEN,
    OAuth2ProviderContract,
    assert_no_secrets,
    make_jwt,
)

SCOPES = ("open:order-order:read", "open:portfolio:read")
TENANTS_URL = "https://id.magalu.com/account/api/v2/whoami/tenants"
PERSON_ID = "0b9c3a52-5d3e-4a8e-9a57-3f7d2c1e0a11"
STORE_ID = "7f1e4a2b-9c8d-4e6f-a1b2-c3d4e5f60789"
OTHER_STORE_ID = "11111111-2222-4333-8444-555555555555"


@pytest.fixture
def config() -> MagaluConfig:
    return MagaluConfig(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uri=REDIRECT_URI, scopes=SCOPES
    )


@pytest.fixture
def provider(config) -> MagaluProvider:
    return MagaluProvider(config, clock=lambda: FIXED_NOW)


@pytest.fixture
def http():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


class TestMagaluContract(OAuth2ProviderContract):
    @pytest.fixture
    def expected_consent_params(self) -> dict[str, str]:
        # Magalu doc, "Geração Manual de URL de Consentimento".
        return {
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "scope": "open:order-order:read open:portfolio:read",
            "response_type": "code",
            "choose_tenants": "true",
            "state": "state-0123456789abcdef",
        }

    @pytest.fixture
    def exchange_content_type(self) -> str:
        return "application/json"

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
        return "https://api.magalu.com/seller/v1/orders?_limit=1"


# --- tenant identification -----------------------------------------------------------------------


def grant_for(claims: dict | None = None, *, token: str | None = None, scopes=SCOPES) -> TokenGrant:
    return TokenGrant(
        access_token=token if token is not None else make_jwt(claims or {}),
        refresh_token="refresh-SECRET-x",
        expires_at=FIXED_NOW,
        scopes=frozenset(scopes),
    )


def store_claims(tenant: str = f"Organization.{STORE_ID}") -> dict:
    return {"sub": PERSON_ID, "tenant": tenant, "iss": "https://id.magalu.com"}


def tenants_list(*uuids: str) -> list[dict]:
    return [
        {
            "uuid": uuid,
            "legal_name": f"Loja {index} LTDA",
            "email": f"loja{index}@example.com",
            "is_delegated": False,
            "is_managed": False,
        }
        for index, uuid in enumerate(uuids, start=1)
    ]


def identify(provider, http, claims: dict, entries: list[dict] | None = None) -> ChosenAccount:
    http.add(responses.GET, TENANTS_URL, json=entries if entries is not None else [])
    return provider.identify_account(grant=grant_for(claims))


def test_a_store_in_the_tenants_list_is_a_legal_entity_with_seller_access(provider, http):
    http.add(responses.GET, TENANTS_URL, json=tenants_list(OTHER_STORE_ID, STORE_ID))
    grant = grant_for(store_claims())

    account = provider.identify_account(grant=grant)

    assert account == ChosenAccount(
        STORE_ID,
        "Loja 2 LTDA",
        "loja2@example.com",
        AccountKind.LEGAL_ENTITY,
        "Organization",
        True,
    )
    (call,) = http.calls
    assert call.request.headers["Authorization"] == f"Bearer {grant.access_token}"
    assert call.request.req_kwargs["timeout"] == (5.0, 15.0)
    assert call.request.req_kwargs["verify"] is not False


@pytest.mark.parametrize(
    ("tenant_type", "kind"),
    [
        ("Organization", AccountKind.LEGAL_ENTITY),
        ("PJ", AccountKind.LEGAL_ENTITY),
        ("pj", AccountKind.LEGAL_ENTITY),
        ("Pessoa_Juridica", AccountKind.LEGAL_ENTITY),
        ("Company", AccountKind.LEGAL_ENTITY),
        ("PF", AccountKind.NATURAL_PERSON),
        ("Person", AccountKind.NATURAL_PERSON),
        ("pessoa-fisica", AccountKind.NATURAL_PERSON),
        ("Individual", AccountKind.NATURAL_PERSON),
        ("Cooperative", AccountKind.UNKNOWN),
        ("MEI", AccountKind.UNKNOWN),
        ("", AccountKind.UNKNOWN),
    ],
)
def test_the_kinds_are_recognised_in_their_common_spellings_and_nothing_is_guessed(
    provider, http, tenant_type, kind
):
    claim = f"{tenant_type}.{STORE_ID}" if tenant_type else STORE_ID
    account = identify(provider, http, store_claims(claim), tenants_list(STORE_ID))

    assert account.kind is kind
    assert account.kind_raw == tenant_type
    assert account.external_id == STORE_ID


def test_a_natural_person_is_named_as_id_magalu_shows_it(provider, http):
    entry = {**tenants_list(STORE_ID)[0], "legal_name": "Ana Souza"}

    account = identify(provider, http, store_claims(f"PF.{STORE_ID}"), [entry])

    assert account.kind is AccountKind.NATURAL_PERSON
    assert account.name == "Ana Souza"


def test_the_person_who_logged_in_is_a_natural_person_whatever_the_type(provider, http):
    account = identify(provider, http, store_claims(f"Organization.{PERSON_ID}"))

    assert account.kind is AccountKind.NATURAL_PERSON
    assert account.has_seller_access is False  # not in the tenants list


def test_the_tenants_list_says_the_kind_when_the_claim_does_not(provider, http):
    entry = {**tenants_list(STORE_ID)[0], "type": "PJ"}

    account = identify(provider, http, store_claims(STORE_ID), [entry])

    assert account.kind is AccountKind.LEGAL_ENTITY
    assert account.kind_raw == "PJ"


def test_an_unknown_claim_type_is_not_overruled_by_a_list_without_one(provider, http):
    account = identify(provider, http, store_claims(f"Xyz.{STORE_ID}"), tenants_list(STORE_ID))

    assert account.kind is AccountKind.UNKNOWN
    assert account.kind_raw == "Xyz"
    assert account.name == "Loja 1 LTDA"  # still named, for the seller and for support


def test_the_tenant_claim_keeps_everything_after_the_first_dot(provider, http):
    account = identify(
        provider, http, store_claims("Organization.abc.def"), tenants_list("abc.def")
    )

    assert account.external_id == "abc.def"
    assert account.name == "Loja 1 LTDA"


def test_the_tenant_uuid_matches_the_list_whatever_its_case(provider, http):
    account = identify(provider, http, store_claims(), tenants_list(STORE_ID.upper()))

    assert account.has_seller_access is True
    assert account.name == "Loja 1 LTDA"


def test_a_masked_document_in_the_list_is_kept(provider, http):
    entry = {**tenants_list(STORE_ID)[0], "document": "CNPJ ••.•••.•••/0001-81"}

    account = identify(provider, http, store_claims(), [entry])

    assert account.document == "CNPJ ••.•••.•••/0001-81"


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"sub": PERSON_ID}, id="no-tenant-claim"),
        pytest.param({"sub": PERSON_ID, "tenant": ""}, id="empty-claim"),
        pytest.param({"sub": PERSON_ID, "tenant": "Organization."}, id="type-only"),
        pytest.param({"sub": PERSON_ID, "tenant": 42}, id="not-a-string"),
    ],
)
def test_a_token_naming_no_tenant_names_no_account(provider, http, claims):
    assert provider.identify_account(grant=grant_for(claims)) == NO_ACCOUNT
    assert len(http.calls) == 0


def _segment(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


NOT_UTF8 = _segment(b"\xff\xfe")


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("", id="empty"),
        pytest.param("not-a-jwt", id="one-part"),
        pytest.param("a.b", id="two-parts"),
        pytest.param("a.b.c.d.e", id="jwe-like"),
        pytest.param("a.!!!!.c", id="not-base64"),
        pytest.param(f"a.{_segment(b'not json')}.c", id="not-json"),
        pytest.param(f"a.{_segment(json.dumps([1, 2]).encode())}.c", id="json-list"),
        pytest.param(f"a.{NOT_UTF8}.c", id="not-utf8"),
        pytest.param("a.é.c", id="non-ascii"),
    ],
)
def test_a_malformed_access_token_names_no_account(provider, http, token):
    assert provider.identify_account(grant=grant_for(token=token)) == NO_ACCOUNT
    assert len(http.calls) == 0


def test_jwt_padding_is_tolerated(provider, http):
    http.add(responses.GET, TENANTS_URL, json=tenants_list(STORE_ID))

    tenant = provider.identify_account(grant=grant_for(token=make_jwt(store_claims(), padded=True)))

    assert tenant.external_id == STORE_ID


def test_a_store_missing_from_the_tenants_list_has_no_seller_access(provider, http):
    http.add(responses.GET, TENANTS_URL, json=tenants_list(OTHER_STORE_ID))

    account = provider.identify_account(grant=grant_for(store_claims()))

    assert account == ChosenAccount(
        STORE_ID, "", "", AccountKind.LEGAL_ENTITY, "Organization", False
    )


def test_a_grant_missing_a_configured_scope_has_no_seller_access(provider, http):
    http.add(responses.GET, TENANTS_URL, json=tenants_list(STORE_ID))

    account = provider.identify_account(grant=grant_for(store_claims(), scopes=SCOPES[:1]))

    assert account == ChosenAccount(
        STORE_ID,
        "Loja 1 LTDA",
        "loja1@example.com",
        AccountKind.LEGAL_ENTITY,
        "Organization",
        False,
    )


def test_extra_granted_scopes_do_not_matter(provider, http):
    http.add(responses.GET, TENANTS_URL, json=tenants_list(STORE_ID))

    tenant = provider.identify_account(grant=grant_for(store_claims(), scopes=(*SCOPES, "openid")))

    assert tenant.has_seller_access is True


@pytest.mark.parametrize(
    ("status", "body", "error_class"),
    [
        pytest.param(500, None, TemporarilyUnavailable, id="500"),
        pytest.param(503, None, TemporarilyUnavailable, id="503"),
        pytest.param(429, None, TemporarilyUnavailable, id="429"),
        pytest.param(200, {"results": []}, TemporarilyUnavailable, id="not-a-list"),
        pytest.param(200, None, TemporarilyUnavailable, id="not-json"),
        pytest.param(401, None, AccessTokenRejected, id="401"),
        pytest.param(403, None, ProviderMisconfigured, id="403"),
        pytest.param(404, None, ProviderMisconfigured, id="404"),
        pytest.param(302, None, ProviderMisconfigured, id="302"),
    ],
)
def test_whoami_errors(provider, http, status, body, error_class):
    if body is None:
        http.add(responses.GET, TENANTS_URL, status=status, body="<html/>")
    else:
        http.add(responses.GET, TENANTS_URL, status=status, json=body)
    grant = grant_for(store_claims())

    with pytest.raises(error_class) as raised:
        provider.identify_account(grant=grant)

    assert type(raised.value) is error_class
    assert raised.value.status == status
    assert grant.access_token not in str(raised.value)


def test_whoami_read_timeout_may_have_reached_the_server(provider, http):
    http.add(responses.GET, TENANTS_URL, body=requests.ReadTimeout())

    with pytest.raises(TemporarilyUnavailable) as raised:
        provider.identify_account(grant=grant_for(store_claims()))

    assert raised.value.outcome_unknown is True


# --- config and module rules ---------------------------------------------------------------------


def test_config_defaults_are_the_production_hosts(config):
    assert config.authorize_url == "https://id.magalu.com/login"
    assert config.token_url == "https://id.magalu.com/oauth/token"
    assert config.tenants_url == TENANTS_URL
    assert config.api_url == "https://api.magalu.com"
    assert config.healthcheck_path == "/seller/v1/orders?_limit=1"
    assert config.issuer == "https://id.magalu.com"
    assert config.use_pkce is False
    assert (config.connect_timeout, config.read_timeout) == (5.0, 15.0)
    assert_no_secrets(repr(config))


def test_config_turns_a_scope_list_into_a_hashable_tuple():
    config = MagaluConfig(
        client_id="c", client_secret="s", redirect_uri="https://x/", scopes=["a", "b"]
    )

    assert config.scopes == ("a", "b")
    assert hash(config) == hash(
        MagaluConfig(client_id="c", client_secret="s", redirect_uri="https://x/", scopes=("a", "b"))
    )
