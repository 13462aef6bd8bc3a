"""Authorization codes and token families, shared by the stand-ins; each stand-in shapes the
tokens (a JWT for one, an opaque string for another) and the response body.

Rotation with reuse detection (RFC 9700 §4.14.2): every refresh returns a new refresh token,
marks the presented one used and ends the access tokens issued before it; presenting a used one
again revokes the whole family (every access and refresh token descending from that
authorization), unless the reuse grace switch is on and the token was rotated away less than
that many seconds ago.

A family may cover several accounts (one authorization for several stores): its refresh token is
then used once by each account (``split``), which gets a family of its own; the same account
presenting it again revokes that account's family, not the others'.
"""

import base64
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from marketplaces.sandbox import faults
from marketplaces.sandbox.models import (
    SandboxAccessToken,
    SandboxAuthorizationCode,
    SandboxGrantFamily,
    SandboxRefreshToken,
)

# The seller docs: "O código de autorização possui validade limitada de 10 minutos".
CODE_TTL = timedelta(minutes=10)
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


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 §4.2 S256: BASE64URL(SHA256(ASCII(code_verifier))), without padding."""
    raw = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


# --- Token pairs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    access_token: str
    refresh_token: str
    family: SandboxGrantFamily
    access_ttl: int


# A stand-in's token shape: (family, access_ttl, refresh_ttl) -> (access_token, refresh_token).
Minter = Callable[[SandboxGrantFamily, int, int], tuple[str, str]]


def issue_pair(
    *,
    marketplace: str,
    account_id: str,
    scope: str,
    mint: Minter,
    access_ttl: int,
    refresh_ttl: int,
    family: SandboxGrantFamily | None = None,
    parent: SandboxGrantFamily | None = None,
) -> Pair:
    """A new pair in ``family`` (a new family for a new authorization, or for an account split
    off ``parent``); only hashes are kept."""
    now = timezone.now()
    if family is None:
        family = SandboxGrantFamily.objects.create(
            marketplace=marketplace,
            account_id=account_id,
            scope=scope,
            created_at=now,
            parent=parent,
        )
    access_token, refresh_token = mint(family, access_ttl, refresh_ttl)
    SandboxAccessToken.objects.create(
        family=family,
        token_hash=digest(access_token),
        expires_at=now + timedelta(seconds=access_ttl),
    )
    SandboxRefreshToken.objects.create(
        family=family,
        token_hash=digest(refresh_token),
        created_at=now,
        expires_at=now + timedelta(seconds=refresh_ttl),
    )
    return Pair(access_token, refresh_token, family, access_ttl)


def _live_refresh_token(marketplace: str, refresh_token: str, now: datetime) -> SandboxRefreshToken:
    """The refresh token's row, locked (within the caller's transaction); ``invalid_grant`` when
    it is unknown, its family revoked or it expired."""
    row = (
        SandboxRefreshToken.objects.select_for_update()
        .select_related("family")
        .filter(token_hash=digest(refresh_token), family__marketplace=marketplace)
        .first()
    )
    if row is None:
        raise OAuthError("invalid_grant", "The refresh token is unknown.")
    if row.family.revoked_at is not None:
        raise OAuthError("invalid_grant", "The refresh token was revoked.")
    if row.expires_at <= now:
        raise OAuthError("invalid_grant", "The refresh token expired.")
    return row


def rotate(
    *, marketplace: str, refresh_token: str, mint: Minter, access_ttl: int, refresh_ttl: int
) -> Pair:
    """Trade a refresh token for a new pair; a reuse revokes the family (see module docstring)."""
    now = timezone.now()
    with transaction.atomic():
        row = _live_refresh_token(marketplace, refresh_token, now)
        family = row.family
        grace = faults.reuse_grace_seconds()
        reused = row.used_at is not None
        if not reused or (grace and (now - row.used_at).total_seconds() <= grace):
            if not reused:
                row.used_at = now
                row.save(update_fields=["used_at"])
                # A refresh ends the access tokens issued before it, as real servers do: a client
                # that keeps using the old one after renewing is told so with a 401. (A reuse
                # inside the grace is a retry of a lost answer: what it answered stays valid.)
                SandboxAccessToken.objects.filter(family=family, expires_at__gt=now).update(
                    expires_at=now
                )
            return issue_pair(
                marketplace=marketplace,
                account_id=family.account_id,
                scope=family.scope,
                mint=mint,
                access_ttl=access_ttl,
                refresh_ttl=refresh_ttl,
                family=family,
            )
    # Outside the transaction above, so that the refusal does not roll the revocation back.
    revoke_family(family, reason="refresh token reused")
    raise OAuthError(
        "invalid_grant", "The refresh token was already used; the whole grant has been revoked."
    )


def refresh_family(marketplace: str, refresh_token: str) -> SandboxGrantFamily | None:
    """The family a refresh token belongs to, or None for an unknown token."""
    row = (
        SandboxRefreshToken.objects.select_related("family")
        .filter(token_hash=digest(refresh_token), family__marketplace=marketplace)
        .first()
    )
    return row.family if row is not None else None


def split(
    *,
    marketplace: str,
    refresh_token: str,
    account_id: str,
    mint: Minter,
    access_ttl: int,
    refresh_ttl: int,
) -> Pair:
    """A shared family's refresh token used by one of its accounts: that account's own pair, in
    a family of its own; the same account using it again revokes its family (the grace as in
    ``rotate``)."""
    now = timezone.now()
    with transaction.atomic():
        row = _live_refresh_token(marketplace, refresh_token, now)
        shared = row.family
        own = own_family(shared, account_id)
        grace = faults.reuse_grace_seconds()
        if own is None or (
            grace and own.revoked_at is None and (now - own.created_at).total_seconds() <= grace
        ):
            terms = {"access_ttl": access_ttl, "refresh_ttl": refresh_ttl, "mint": mint}
            return issue_pair(
                marketplace=marketplace,
                account_id=account_id,
                scope=shared.scope,
                family=own,
                parent=shared,
                **terms,
            )
    revoke_family(own, reason="shared refresh token reused by this account")
    raise OAuthError(
        "invalid_grant",
        "The refresh token was already used for this account; its grant has been revoked.",
    )


def own_family(shared: SandboxGrantFamily, account_id: str) -> SandboxGrantFamily | None:
    """The family one account of a shared family split off at its first refresh, if it has."""
    return SandboxGrantFamily.objects.filter(parent=shared, account_id=account_id).first()


def revoke_family(family: SandboxGrantFamily, *, reason: str) -> None:
    SandboxGrantFamily.objects.filter(pk=family.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason[:100]
    )


def access_family(marketplace: str, access_token: str) -> SandboxGrantFamily | None:
    """The family of a valid, unexpired, unrevoked access token of this stand-in, or None."""
    row = (
        SandboxAccessToken.objects.select_related("family")
        .filter(token_hash=digest(access_token), family__marketplace=marketplace)
        .first()
    )
    if row is None or row.expires_at <= timezone.now() or row.family.revoked_at is not None:
        return None
    return row.family


def authenticate_client(params: dict[str, str], *, client_id: str, client_secret: str) -> None:
    """RFC 6749 §2.3.1 client credentials in the body, compared in constant time."""
    id_ok = hmac.compare_digest(params.get("client_id", "").encode(), client_id.encode())
    secret_ok = hmac.compare_digest(
        params.get("client_secret", "").encode(), client_secret.encode()
    )
    if not (id_ok and secret_ok):
        raise OAuthError("invalid_client", "Client authentication failed.", status=401)


# --- Authorization codes -------------------------------------------------------------------------


def issue_code(
    *,
    marketplace: str,
    client_id: str,
    redirect_uri: str,
    account_id: str,
    scopes: list[str],
    code_challenge: str,
) -> str:
    """A fresh authorization code (256 random bits), bound to everything the exchange must match."""
    code = secrets.token_urlsafe(32)
    now = timezone.now()
    SandboxAuthorizationCode.objects.create(
        marketplace=marketplace,
        code_hash=digest(code),
        client_id=client_id,
        redirect_uri=redirect_uri,
        account_id=account_id,
        scope=" ".join(scopes),
        code_challenge=code_challenge,
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    return code


def _dead_code_reason(code_hash: str) -> str:
    row = SandboxAuthorizationCode.objects.filter(code_hash=code_hash).first()
    if row is None:
        return "The authorization code is unknown."
    if row.used_at is not None:
        return "The authorization code was already used (codes are single use)."
    return "The authorization code expired (codes are valid for 10 minutes)."


def consume_code(
    *, marketplace: str, client_id: str, redirect_uri: str, code: str, code_verifier: str | None
) -> SandboxAuthorizationCode:
    """The code's row, burnt by this first attempt even when a check below fails."""
    now = timezone.now()
    code_hash = digest(code)
    # A conditional UPDATE, so two concurrent exchanges cannot both win (RFC 6749 §4.1.2).
    consumed = SandboxAuthorizationCode.objects.filter(
        marketplace=marketplace, code_hash=code_hash, used_at__isnull=True, expires_at__gt=now
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
    return row
