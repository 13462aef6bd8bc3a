"""API keys: created (the whole key returned once), checked, revoked."""

import hmac
import secrets
from datetime import timedelta

from django.utils import timezone

from api import conf
from api.models import ApiKey, Scope, secret_hash

KEY_PREFIX = "hub_"


class InvalidKey(Exception):
    """Unknown, malformed or revoked: the caller never learns which."""


def api_key_create(*, seller, name: str, scopes: list[str], user=None) -> tuple[ApiKey, str]:
    """Returns the key and its plaintext, which is shown once and never stored."""
    unknown = set(scopes) - set(Scope.values)
    if unknown or not scopes:
        raise ValueError("scopes must be a non-empty subset of Scope")
    prefix = secrets.token_hex(4)
    plaintext = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        seller=seller,
        name=name.strip()[:100],
        prefix=prefix,
        hashed_key=secret_hash(plaintext),
        scopes=sorted(set(scopes)),
        created_by=user,
    )
    return key, plaintext


def api_key_check(*, plaintext: str) -> ApiKey:
    """The active key this plaintext is, or ``InvalidKey``; compares hashes in constant time."""
    # The secret part is url-safe base64, which may itself hold "_".
    prefix, separator, secret = plaintext.removeprefix(KEY_PREFIX).partition("_")
    if not plaintext.startswith(KEY_PREFIX) or not separator or len(prefix) != 8 or not secret:
        raise InvalidKey
    key = (
        ApiKey.objects.select_related("seller")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if key is None or not hmac.compare_digest(key.hashed_key, secret_hash(plaintext)):
        raise InvalidKey
    return key


def api_key_touch(*, key: ApiKey) -> None:
    """Records the use, at most once per ``API_LAST_USED_PRECISION_SECONDS``."""
    now = timezone.now()
    precision = timedelta(seconds=conf.get("API_LAST_USED_PRECISION_SECONDS"))
    if key.last_used_at is not None and now - key.last_used_at < precision:
        return
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    key.last_used_at = now


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    """Revokes at once (the next request with it is a 401); revoking twice changes nothing."""
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db()
    return key
