"""The token endpoint: code exchange (JSON), refresh with rotation (form), errors and JWT claims."""

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from marketplaces import get_provider
from marketplaces.magalu.standin import issuer
from marketplaces.magalu.standin.directory import DEMO_PERSON_UUID, DEMO_TENANTS
from marketplaces.sandbox import faults
from marketplaces.sandbox.models import SandboxAuthorizationCode, SandboxRefreshToken
from tests.sandbox.conftest import (
    LOJA,
    exchange,
    new_verifier,
    obtain_code,
    post_token_form,
    post_token_json,
    refresh,
)

pytestmark = pytest.mark.django_db


def _error(response) -> str:
    return response.json()["error"]


def test_exchange_returns_the_documented_token_response(client, verifier):
    code = obtain_code(client, verifier=verifier)

    response = exchange(client, code, verifier)

    body = response.json()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert set(body) == {
        "access_token",
        "token_type",
        "expires_in",
        "refresh_token",
        "scope",
        "created_at",
    }
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 7200
    assert isinstance(body["created_at"], int)
    assert body["scope"] == " ".join(get_provider("magalu").config.scopes)


def test_access_token_ttl_is_configurable(client, verifier, settings):
    settings.MAGALU_SANDBOX_ACCESS_TOKEN_TTL = 60

    body = exchange(client, obtain_code(client, verifier=verifier), verifier).json()

    assert body["expires_in"] == 60
    claims = issuer.verify_access_token(body["access_token"])
    assert claims["exp"] - claims["iat"] == 60


def test_jwt_claims_carry_the_chosen_tenant(tokens, settings):
    access = issuer.verify_access_token(tokens["access_token"])
    refresh_claims = issuer.decode_jwt(tokens["refresh_token"])

    assert access["tenant"] == f"Organization.{LOJA}"
    assert access["sub"] == DEMO_PERSON_UUID
    assert access["iss"] == get_provider("magalu").config.issuer
    assert access["typ"] == "access"
    assert access["jti"].startswith("sbx-")
    assert access["scope"] == tokens["scope"]
    assert refresh_claims["typ"] == "refresh"
    assert refresh_claims["jti"] != access["jti"]


def test_natural_person_tenant_claim(client):
    settings_verifier = new_verifier()
    code = obtain_code(client, tenant_uuid=DEMO_PERSON_UUID, verifier=settings_verifier)

    body = exchange(client, code, settings_verifier).json()

    claims = issuer.verify_access_token(body["access_token"])
    assert claims["tenant"] == f"PF.{DEMO_PERSON_UUID}"
    assert claims["sub"] == DEMO_PERSON_UUID


def test_token_marker_is_configurable(client, verifier, settings):
    settings.SANDBOX_TOKEN_MARKER = "leakcheck42"

    body = exchange(client, obtain_code(client, verifier=verifier), verifier).json()

    for token in (body["access_token"], body["refresh_token"]):
        assert issuer.decode_jwt(token)["jti"].startswith("leakcheck42-")


def test_jwt_is_hs256_and_tampering_is_detected(tokens):
    header, _payload, signature = tokens["access_token"].split(".")
    claims = issuer.decode_jwt(tokens["access_token"])
    forged_claims = {**claims, "tenant": f"Organization.{DEMO_TENANTS[2].uuid}"}
    forged = issuer.encode_jwt(forged_claims).split(".")[1]

    assert json.loads(issuer._b64decode(header)) == {"alg": "HS256", "typ": "JWT"}
    assert issuer.verify_access_token(f"{header}.{forged}.{signature}") is None
    assert issuer.verify_access_token(tokens["refresh_token"]) is None  # wrong typ
    assert issuer.verify_access_token("not-a-jwt") is None
    assert issuer.verify_access_token(None) is None


def test_only_hashes_are_stored(client, tokens):
    refresh(client, tokens["refresh_token"])
    row = SandboxRefreshToken.objects.order_by("pk").first()

    assert row.token_hash == hashlib.sha256(tokens["refresh_token"].encode()).hexdigest()
    for model in apps.get_app_config("sandbox").get_models():
        dumped = json.dumps(list(model.objects.values()), default=str)
        assert tokens["refresh_token"] not in dumped
        assert tokens["access_token"] not in dumped
        assert "sbx-" not in dumped  # no jti either


def test_code_is_single_use(client, verifier):
    code = obtain_code(client, verifier=verifier)
    assert exchange(client, code, verifier).status_code == 200

    again = exchange(client, code, verifier)

    assert again.status_code == 400
    assert _error(again) == "invalid_grant"
    assert "already used" in again.json()["error_description"]


def test_code_consumption_is_atomic(client, verifier):
    code = obtain_code(client, verifier=verifier)
    code_hash = hashlib.sha256(code.encode()).hexdigest()
    now = datetime.now(UTC)
    rows = SandboxAuthorizationCode.objects.filter(
        code_hash=code_hash, used_at__isnull=True, expires_at__gt=now
    )

    # Two racing exchanges run the same conditional UPDATE: only one changes a row.
    assert rows.update(used_at=now) == 1
    assert rows.update(used_at=now) == 0
    assert _error(exchange(client, code, verifier)) == "invalid_grant"


def test_code_expires_after_ten_minutes(client):
    with time_machine.travel(datetime(2025, 3, 1, 12, 0, tzinfo=UTC), tick=False) as traveller:
        first, second = new_verifier(), new_verifier()
        early, late = obtain_code(client, verifier=first), obtain_code(client, verifier=second)

        traveller.shift(timedelta(minutes=9, seconds=59))
        assert exchange(client, early, first).status_code == 200

        traveller.shift(timedelta(seconds=1))
        expired = exchange(client, late, second)

    assert expired.status_code == 400
    assert _error(expired) == "invalid_grant"
    assert "expired" in expired.json()["error_description"]


def test_unknown_code(client):
    response = exchange(client, "no-such-code", new_verifier())

    assert response.status_code == 400
    assert _error(response) == "invalid_grant"


def test_redirect_uri_mismatch_is_invalid_grant_and_burns_the_code(client, verifier):
    code = obtain_code(client, verifier=verifier)

    response = exchange(client, code, verifier, redirect_uri="http://hub.test/other/")

    assert response.status_code == 400
    assert _error(response) == "invalid_grant"
    assert _error(exchange(client, code, verifier)) == "invalid_grant"


@pytest.mark.parametrize("bad_verifier", [None, "w" * 43, "short"])
def test_pkce_mismatch_is_invalid_grant(client, verifier, bad_verifier):
    code = obtain_code(client, verifier=verifier)

    response = exchange(client, code, bad_verifier)

    assert response.status_code == 400
    assert _error(response) == "invalid_grant"


def test_exchange_must_be_json(client, verifier):
    code = obtain_code(client, verifier=verifier)
    body = {
        "grant_type": "authorization_code",
        "client_id": get_provider("magalu").config.client_id,
        "client_secret": get_provider("magalu").config.client_secret,
        "redirect_uri": get_provider("magalu").config.redirect_uri,
        "code": code,
        "code_verifier": verifier,
    }

    response = post_token_form(client, body)

    assert response.status_code == 400
    assert _error(response) == "invalid_request"
    assert exchange(client, code, verifier).status_code == 200  # the code was not burnt


def test_refresh_must_be_form_encoded(client, tokens):
    response = post_token_json(
        client,
        {
            "grant_type": "refresh_token",
            "client_id": get_provider("magalu").config.client_id,
            "client_secret": get_provider("magalu").config.client_secret,
            "refresh_token": tokens["refresh_token"],
        },
    )

    assert response.status_code == 400
    assert _error(response) == "invalid_request"
    assert refresh(client, tokens["refresh_token"]).status_code == 200  # not rotated


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b""],
)
def test_unreadable_bodies_are_invalid_request(client, body):
    response = client.post("/sandbox/idmagalu/oauth/token", body, content_type="application/json")

    assert response.status_code == 400
    assert _error(response) == "invalid_request"


def test_other_content_types_are_invalid_request(client):
    response = client.post("/sandbox/idmagalu/oauth/token", "x", content_type="text/plain")

    assert response.status_code == 400
    assert _error(response) == "invalid_request"


def test_unsupported_grant_type(client):
    response = post_token_form(
        client,
        {
            "grant_type": "client_credentials",
            "client_id": get_provider("magalu").config.client_id,
            "client_secret": get_provider("magalu").config.client_secret,
        },
    )

    assert response.status_code == 400
    assert _error(response) == "unsupported_grant_type"


@pytest.mark.parametrize(
    "overrides",
    [{"client_secret": "wrong"}, {"client_id": "someone-else"}, {"client_secret": None}],
)
def test_bad_client_credentials_on_exchange(client, verifier, overrides):
    code = obtain_code(client, verifier=verifier)

    response = exchange(client, code, verifier, **overrides)

    assert response.status_code == 401
    assert response.json() == {
        "error": "invalid_client",
        "error_description": "Client authentication failed.",
    }
    assert exchange(client, code, verifier).status_code == 200  # not burnt by a bad client


def test_bad_client_credentials_on_refresh(client, tokens):
    response = refresh(client, tokens["refresh_token"], client_secret="wrong")

    assert response.status_code == 401
    assert _error(response) == "invalid_client"
    assert refresh(client, tokens["refresh_token"]).status_code == 200


def test_refresh_rotates(client, tokens):
    first = refresh(client, tokens["refresh_token"])
    new = first.json()

    assert first.status_code == 200
    assert first["Cache-Control"] == "no-store"
    assert new["refresh_token"] != tokens["refresh_token"]
    assert new["access_token"] != tokens["access_token"]
    assert issuer.verify_access_token(new["access_token"])["tenant"] == f"Organization.{LOJA}"
    assert new["scope"] == tokens["scope"]

    assert refresh(client, new["refresh_token"]).status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(client, tokens):
    """RFC 9700 §4.14.2: reuse detection. Every token of the grant dies with it."""
    new = refresh(client, tokens["refresh_token"]).json()

    reused = refresh(client, tokens["refresh_token"])

    assert reused.status_code == 400
    assert _error(reused) == "invalid_grant"
    assert _error(refresh(client, new["refresh_token"])) == "invalid_grant"
    assert issuer.verify_access_token(new["access_token"]) is None


def test_with_the_reuse_grace_on_a_just_rotated_token_is_accepted_again(client, tokens):
    faults.set_reuse_grace(30)
    new = refresh(client, tokens["refresh_token"]).json()

    again = refresh(client, tokens["refresh_token"])

    assert again.status_code == 200
    assert again.json()["refresh_token"] not in (new["refresh_token"], tokens["refresh_token"])
    assert issuer.verify_access_token(new["access_token"]) is not None  # nothing revoked
    assert refresh(client, new["refresh_token"]).status_code == 200


def test_the_reuse_grace_ends(client, tokens):
    faults.set_reuse_grace(30)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        refresh(client, tokens["refresh_token"])
        traveller.shift(31)

        assert _error(refresh(client, tokens["refresh_token"])) == "invalid_grant"


def test_refresh_with_garbage_or_an_access_token(client, tokens):
    assert _error(refresh(client, "garbage")) == "invalid_grant"
    assert _error(refresh(client, tokens["access_token"])) == "invalid_grant"


def test_refresh_token_expires(client, settings, verifier):
    settings.MAGALU_SANDBOX_REFRESH_TOKEN_TTL = 3600
    with time_machine.travel(datetime(2025, 3, 1, 12, 0, tzinfo=UTC), tick=False) as traveller:
        body = exchange(client, obtain_code(client, verifier=verifier), verifier).json()
        traveller.shift(timedelta(hours=1))

        response = refresh(client, body["refresh_token"])

    assert _error(response) == "invalid_grant"


def test_access_token_expires(client, verifier):
    with time_machine.travel(datetime(2025, 3, 1, 12, 0, tzinfo=UTC), tick=False) as traveller:
        body = exchange(client, obtain_code(client, verifier=verifier), verifier).json()
        traveller.shift(timedelta(seconds=7199))
        assert issuer.verify_access_token(body["access_token"]) is not None
        traveller.shift(timedelta(seconds=1))
        assert issuer.verify_access_token(body["access_token"]) is None


def test_issue_tokens_gives_refreshable_tokens(client):
    body = issuer.issue_tokens(tenant_uuid=DEMO_TENANTS[3].uuid, scopes=["open:portfolio:read"])

    claims = issuer.verify_access_token(body["access_token"])
    assert claims["tenant"] == f"Organization.{DEMO_TENANTS[3].uuid}"
    assert body["scope"] == "open:portfolio:read"
    assert refresh(client, body["refresh_token"]).status_code == 200


def test_issue_tokens_refuses_an_unknown_tenant():
    with pytest.raises(ValueError, match="Unknown sandbox tenant"):
        issuer.issue_tokens(tenant_uuid="nope", scopes=[])


def test_token_endpoint_only_takes_post(client):
    assert client.get("/sandbox/idmagalu/oauth/token").status_code == 405


def test_every_call_is_logged_with_its_outcome(client, tokens):
    refresh(client, tokens["refresh_token"])
    refresh(client, tokens["refresh_token"])  # reused: invalid_grant
    refresh(client, "x", client_secret="wrong")

    assert faults.token_requests() == 4
    assert faults.token_requests("authorization_code") == 1
    assert faults.token_requests("refresh_token") == 3
    assert faults.token_requests("refresh_token", outcome="ok") == 1
    assert faults.token_requests("refresh_token", outcome="invalid_grant") == 1
    assert faults.token_requests(outcome="invalid_client") == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_refreshes_cannot_both_rotate(tokens):
    from django.db import connection
    from django.test import Client

    def attempt(_):
        try:
            return refresh(Client(), tokens["refresh_token"]).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(attempt, range(4)))

    assert statuses == [200, 400, 400, 400]
    assert SandboxRefreshToken.objects.filter(used_at__isnull=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_exchanges_cannot_both_succeed(client, verifier):
    from django.db import connection
    from django.test import Client

    code = obtain_code(client, verifier=verifier)

    def attempt(_):
        try:
            return exchange(Client(), code, verifier).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(attempt, range(4)))

    assert statuses == [200, 400, 400, 400]


def test_no_token_material_is_logged(client, caplog, verifier):
    caplog.set_level("DEBUG")
    code = obtain_code(client, verifier=verifier)
    body = exchange(client, code, verifier).json()
    refreshed = refresh(client, body["refresh_token"]).json()
    refresh(client, body["refresh_token"])  # reuse: refused

    for secret in (code, body["access_token"], body["refresh_token"], refreshed["refresh_token"]):
        assert secret not in caplog.text
    assert "sbx-" not in caplog.text
    assert "sandbox.token.issued" in caplog.text
