"""Authorization codes and tokens: issue, exchange, rotate and verify.

Access and refresh tokens are HS256 JWTs signed with a key derived from ``SECRET_KEY``. Codes and
refresh tokens are stored only as SHA-256 hashes; raw values exist only in the HTTP responses.
"""

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from integrations.sandbox import conf
from integrations.sandbox.directory import DEMO_PERSON_UUID, tenant_by_uuid
from integrations.sandbox.models import SandboxAuthorizationCode, SandboxRefreshToken

AUTHORIZATION_CODE = "authorization_code"
REFRESH_TOKEN = "refresh_token"  # noqa: S105 - a grant type name

# RFC 7636 §4.1 (verifier) and §4.2 (an S256 challenge is 43 base64url characters).
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
S256_CHALLENGE = re.compile(r"[A-Za-z0-9\-_]{43}")


class OAuthError(Exception):
    """An RFC 6749 §5.2 error answer; the description never holds token material."""

    def __init__(self, error: str, description: str, *, status: int = 400):
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def as_dict(self) -> dict:
        return {"error": self.error, "error_description": self.description}


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 §4.2 S256: BASE64URL(SHA256(ASCII(code_verifier))), without padding."""
    return _b64encode(hashlib.sha256(verifier.encode("ascii")).digest())


# --- HS256 JWT (RFC 7519 / RFC 7515) -------------------------------------------------------------


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signing_key() -> bytes:
    return salted_hmac("integrations.sandbox.issuer", "jwt-hs256-key", algorithm="sha256").digest()


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


def _valid_claims(token: str, *, typ: str) -> dict | None:
    claims = decode_jwt(token)
    if claims is None or claims.get("typ") != typ or claims.get("iss") != conf.issuer():
        return None
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp <= int(timezone.now().timestamp()):
        return None
    return claims


def verify_access_token(token) -> dict | None:
    """The claims of a valid, unexpired access token from this stand-in, or None."""
    return _valid_claims(token, typ="access")


# --- Tokens --------------------------------------------------------------------------------------


def _new_jti() -> str:
    return f"{conf.token_marker()}-{secrets.token_hex(16)}"


def issue_tokens(*, tenant_uuid: str, scopes: list[str]) -> dict:
    """Mint an access/refresh pair for a tenant and record the refresh token's hash.

    Returns the exact JSON body the token endpoint answers.
    """
    tenant = tenant_by_uuid(tenant_uuid)
    if tenant is None:
        raise ValueError("Unknown sandbox tenant.")
    now = timezone.now()
    iat = int(now.timestamp())
    scope = " ".join(scopes)
    access_ttl, refresh_ttl = conf.access_token_ttl(), conf.refresh_token_ttl()
    common = {
        "iss": conf.issuer(),
        "sub": DEMO_PERSON_UUID,
        "tenant": tenant.claim,
        "scope": scope,
        "iat": iat,
    }
    access_token = encode_jwt(
        {**common, "exp": iat + access_ttl, "jti": _new_jti(), "typ": "access"}
    )
    refresh_token = encode_jwt(
        {**common, "exp": iat + refresh_ttl, "jti": _new_jti(), "typ": "refresh"}
    )
    SandboxRefreshToken.objects.create(
        token_hash=_digest(refresh_token),
        tenant_uuid=tenant.uuid,
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(seconds=refresh_ttl),
    )
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": access_ttl,
        "refresh_token": refresh_token,
        "scope": scope,
        "created_at": iat,
    }


# --- Authorization codes -------------------------------------------------------------------------


def issue_code(
    *, client_id: str, redirect_uri: str, tenant_uuid: str, scopes: list[str], code_challenge: str
) -> str:
    """A fresh authorization code (256 random bits), bound to everything the exchange must match."""
    code = secrets.token_urlsafe(32)
    now = timezone.now()
    SandboxAuthorizationCode.objects.create(
        code_hash=_digest(code),
        client_id=client_id,
        redirect_uri=redirect_uri,
        tenant_uuid=tenant_uuid,
        scope=" ".join(scopes),
        code_challenge=code_challenge,
        created_at=now,
        expires_at=now + conf.CODE_TTL,
    )
    return code


def _dead_code_reason(code_hash: str) -> str:
    row = SandboxAuthorizationCode.objects.filter(code_hash=code_hash).first()
    if row is None:
        return "The authorization code is unknown."
    if row.used_at is not None:
        return "The authorization code was already used (codes are single use)."
    return "The authorization code expired (codes are valid for 10 minutes)."


def exchange_code(
    *, client_id: str, redirect_uri: str, code: str, code_verifier: str | None
) -> dict:
    """Trade a code for tokens. The code is burnt by the first attempt, even a failed one."""
    now = timezone.now()
    code_hash = _digest(code)
    # A conditional UPDATE, so two concurrent exchanges cannot both win (RFC 6749 §4.1.2).
    consumed = SandboxAuthorizationCode.objects.filter(
        code_hash=code_hash, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not consumed:
        raise OAuthError("invalid_grant", _dead_code_reason(code_hash))
    row = SandboxAuthorizationCode.objects.get(code_hash=code_hash)
    if not hmac.compare_digest(row.client_id, client_id):
        raise OAuthError("invalid_grant", "The authorization code was issued to another client.")
    # RFC 6749 §4.1.3: redirect_uri must be identical to the one in the authorization request.
    if row.redirect_uri != redirect_uri:
        raise OAuthError(
            "invalid_grant", "redirect_uri differs from the one in the authorization request."
        )
    if row.code_challenge:
        if not code_verifier:
            raise OAuthError("invalid_grant", "code_verifier is required for this code (PKCE).")
        if not _VERIFIER.fullmatch(code_verifier):
            raise OAuthError("invalid_grant", "code_verifier is malformed (RFC 7636 §4.1).")
        if not hmac.compare_digest(pkce_challenge(code_verifier), row.code_challenge):
            raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge.")
    with transaction.atomic():
        return issue_tokens(tenant_uuid=row.tenant_uuid, scopes=row.scope.split())


def refresh_tokens(*, refresh_token: str) -> dict:
    """Rotate: the presented refresh token dies and a new pair is issued."""
    claims = _valid_claims(refresh_token, typ="refresh")
    if claims is None:
        raise OAuthError("invalid_grant", "The refresh token is invalid or expired.")
    now = timezone.now()
    token_hash = _digest(refresh_token)
    with transaction.atomic():
        consumed = SandboxRefreshToken.objects.filter(
            token_hash=token_hash, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not consumed:
            raise OAuthError(
                "invalid_grant", "The refresh token was already used, revoked or expired."
            )
        row = SandboxRefreshToken.objects.get(token_hash=token_hash)
        return issue_tokens(tenant_uuid=row.tenant_uuid, scopes=row.scope.split())
