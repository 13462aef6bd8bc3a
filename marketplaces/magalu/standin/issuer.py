"""ID Magalu's tokens: HS256 JWTs (signed with a key derived from ``SECRET_KEY``) carrying the
chosen tenant, issued in families with rotation and reuse detection (``sandbox.tokens``)."""

import base64
import binascii
import hashlib
import hmac
import json
import secrets

from django.utils import timezone
from django.utils.crypto import salted_hmac

from marketplaces.magalu.standin import conf
from marketplaces.magalu.standin.directory import DEMO_PERSON_UUID, tenant_by_uuid
from marketplaces.sandbox import tokens
from marketplaces.sandbox.models import SandboxGrantFamily


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signing_key() -> bytes:
    return salted_hmac("marketplaces.sandbox.issuer", "jwt-hs256-key", algorithm="sha256").digest()


def _sign(signing_input: bytes) -> str:
    return _b64encode(hmac.new(_signing_key(), signing_input, hashlib.sha256).digest())


def encode_jwt(claims: dict) -> str:
    header = _b64encode(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64encode(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    return f"{header}.{payload}.{_sign(signing_input)}"


def decode_jwt(token: str) -> dict | None:
    """The claims of a token this stand-in signed, or None; does not check ``exp`` or ``typ``."""
    if not isinstance(token, str) or token.count(".") != 2:
        return None
    header_b64, payload_b64, signature = token.split(".")
    try:
        expected = _sign(f"{header_b64}.{payload_b64}".encode("ascii"))
        if not hmac.compare_digest(expected, signature):
            return None
        header = json.loads(_b64decode(header_b64))
        claims = json.loads(_b64decode(payload_b64))
    except (UnicodeError, ValueError, binascii.Error):
        return None
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        return None
    return claims


def _mint(family: SandboxGrantFamily, access_ttl: int, refresh_ttl: int) -> tuple[str, str]:
    tenant = tenant_by_uuid(family.account_id)
    iat = int(timezone.now().timestamp())
    common = {
        "iss": conf.issuer(),
        "sub": DEMO_PERSON_UUID,
        "tenant": tenant.claim if tenant else family.account_id,
        "scope": family.scope,
        "iat": iat,
    }

    def jwt(typ: str, ttl: int) -> str:
        jti = f"{conf.token_marker()}-{secrets.token_hex(16)}"
        return encode_jwt({**common, "exp": iat + ttl, "jti": jti, "typ": typ})

    return jwt("access", access_ttl), jwt("refresh", refresh_ttl)


def _body(pair: tokens.Pair) -> dict:
    """The token endpoint's answer, as the seller docs show it."""
    return {
        "access_token": pair.access_token,
        "token_type": "Bearer",
        "expires_in": pair.access_ttl,
        "refresh_token": pair.refresh_token,
        "scope": pair.family.scope,
        "created_at": int(timezone.now().timestamp()),
    }


def issue_tokens(*, tenant_uuid: str, scopes: list[str]) -> dict:
    """A new grant (family) for a tenant: the body the token endpoint answers to an exchange.

    A tenant without seller access gets none of the seller scopes it asked for.
    """
    tenant = tenant_by_uuid(tenant_uuid)
    if tenant is None:
        raise ValueError("Unknown sandbox tenant.")
    pair = tokens.issue_pair(
        account_id=tenant.uuid,
        scope=" ".join(scopes) if tenant.seller_access else "",
        mint=_mint,
        **conf.STAND_IN.pair_terms(),
    )
    return _body(pair)


def exchange_code(
    *, client_id: str, redirect_uri: str, code: str, code_verifier: str | None
) -> dict:
    row = tokens.consume_code(
        marketplace=conf.KEY,
        client_id=client_id,
        redirect_uri=redirect_uri,
        code=code,
        code_verifier=code_verifier,
    )
    return issue_tokens(tenant_uuid=row.account_id, scopes=row.scope.split())


def refresh_tokens(*, refresh_token: str) -> dict:
    """Rotate: the presented refresh token dies and a new pair is issued in its family."""
    claims = decode_jwt(refresh_token)
    if claims is None or claims.get("typ") != "refresh" or claims.get("iss") != conf.issuer():
        raise tokens.OAuthError("invalid_grant", "The refresh token is invalid.")
    pair = tokens.rotate(
        refresh_token=refresh_token,
        mint=_mint,
        **conf.STAND_IN.pair_terms(),
    )
    return _body(pair)


def verify_access_token(token) -> dict | None:
    """The claims of a valid access token of a live family, or None."""
    claims = decode_jwt(token) if isinstance(token, str) else None
    if claims is None or claims.get("typ") != "access" or claims.get("iss") != conf.issuer():
        return None
    if tokens.access_family(conf.KEY, token) is None:  # expired, unknown or revoked
        return None
    return claims
