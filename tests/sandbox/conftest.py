"""Helpers for the stand-in's own tests: a consent request, a code, an exchange, a refresh."""

import json
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from integrations.pkce import s256_challenge
from marketplaces import get_provider
from tests.sandbox.push_helpers import hub  # noqa: F401 - the push tests' receiver
from tests.sandbox_http import DEFAULT_TENANT_UUID, sandbox_consent, sandbox_http  # noqa: F401

HOST = {"host": "sandbox.test"}
LOJA = DEFAULT_TENANT_UUID  # "Loja Exemplo Ltda"


def authorize_url(**overrides) -> str:
    """The consent URL the hub would build, with PKCE; ``None`` drops a parameter."""
    params = {
        "client_id": get_provider("magalu").config.client_id,
        "redirect_uri": get_provider("magalu").config.redirect_uri,
        "scope": " ".join(get_provider("magalu").config.scopes),
        "response_type": "code",
        "choose_tenants": "true",
        "state": "st4te-Ab_c.~123",
        "code_challenge": s256_challenge("v" * 43),
        "code_challenge_method": "S256",
        **overrides,
    }
    query = urlencode({key: value for key, value in params.items() if value is not None})
    return f"http://sandbox.test{reverse('sandbox:magalu:login')}?{query}"


def callback_params(location: str) -> dict[str, str]:
    assert location.startswith(get_provider("magalu").config.redirect_uri + "?"), location
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def new_verifier() -> str:
    return secrets.token_urlsafe(48)


def obtain_code(client, *, tenant_uuid: str = LOJA, verifier: str | None = None) -> str:
    challenge = s256_challenge(verifier) if verifier else None
    location = sandbox_consent(
        client,
        authorize_url(code_challenge=challenge, code_challenge_method="S256" if verifier else None),
        tenant_uuid,
    )
    return callback_params(location)["code"]


def post_token_json(client, body: dict):
    return client.post(
        reverse("sandbox:magalu:token"),
        json.dumps(body),
        content_type="application/json",
        headers=HOST,
    )


def post_token_form(client, body: dict):
    return client.post(
        reverse("sandbox:magalu:token"),
        urlencode(body),
        content_type="application/x-www-form-urlencoded",
        headers=HOST,
    )


def exchange(client, code: str, verifier: str | None = None, **overrides):
    body = {
        "grant_type": "authorization_code",
        "client_id": get_provider("magalu").config.client_id,
        "client_secret": get_provider("magalu").config.client_secret,
        "redirect_uri": get_provider("magalu").config.redirect_uri,
        "code": code,
    }
    if verifier:
        body["code_verifier"] = verifier
    body.update(overrides)
    return post_token_json(client, {key: value for key, value in body.items() if value is not None})


def refresh(client, refresh_token: str, **overrides):
    body = {
        "grant_type": "refresh_token",
        "client_id": get_provider("magalu").config.client_id,
        "client_secret": get_provider("magalu").config.client_secret,
        "refresh_token": refresh_token,
        **overrides,
    }
    return post_token_form(client, body)


@pytest.fixture
def verifier() -> str:
    return new_verifier()


@pytest.fixture
def tokens(db, client, verifier) -> dict:
    """A fresh token response for Loja Exemplo Ltda, obtained through the real flow."""
    response = exchange(client, obtain_code(client, verifier=verifier), verifier)
    assert response.status_code == 200, response.content
    return response.json()
