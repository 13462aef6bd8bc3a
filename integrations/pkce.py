"""PKCE (RFC 7636) with S256 only; ``plain`` is never used."""

import base64
import hashlib
import secrets


def new_verifier() -> str:
    return secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43..128


def s256_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
