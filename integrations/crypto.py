"""Token encryption at rest: MultiFernet over keys from the environment.

Each ciphertext is bound to its row and field: the plaintext carries a context string
(``integration:<uuid>:access_token``) that decryption checks, so a ciphertext copied into another
row or column does not decrypt. Fernet itself authenticates the whole plaintext, context included.
Keys come from ``settings.TOKEN_ENCRYPTION_KEYS``, newest first: the first encrypts, all decrypt,
so old tokens stay readable until ``manage.py rotate_token_keys`` re-encrypts them.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

_SEPARATOR = "\x1f"  # ASCII unit separator: never part of a context or of a token


class UndecryptableToken(Exception):
    """The stored ciphertext cannot be read: wrong key, corrupted, or moved from another row."""


@cache
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _cipher() -> MultiFernet:
    from django.conf import settings

    return _multifernet(tuple(settings.TOKEN_ENCRYPTION_KEYS))


def encrypt(plaintext: str, *, context: str) -> str:
    """Encrypts under the newest key; an empty plaintext stays empty (no token stored)."""
    if not plaintext:
        return ""
    return _cipher().encrypt(f"{context}{_SEPARATOR}{plaintext}".encode()).decode()


def decrypt(ciphertext: str, *, context: str) -> str:
    if not ciphertext:
        return ""
    try:
        bound = _cipher().decrypt(ciphertext.encode()).decode()
    except (InvalidToken, UnicodeDecodeError) as exc:
        raise UndecryptableToken(
            "token ciphertext does not decrypt with the configured keys"
        ) from exc
    stored_context, separator, plaintext = bound.partition(_SEPARATOR)
    if not separator or stored_context != context:
        raise UndecryptableToken("token ciphertext belongs to another row or field")
    return plaintext


def rotate(ciphertext: str) -> str:
    """Re-encrypts under the newest key, keeping the bound context (no plaintext leaves here)."""
    if not ciphertext:
        return ""
    try:
        return _cipher().rotate(ciphertext.encode()).decode()
    except InvalidToken as exc:
        raise UndecryptableToken(
            "token ciphertext does not decrypt with the configured keys"
        ) from exc


def needs_rotation(ciphertext: str) -> bool:
    """Whether the ciphertext is not under the newest key."""
    if not ciphertext:
        return False
    from django.conf import settings

    newest = Fernet(settings.TOKEN_ENCRYPTION_KEYS[0])
    try:
        newest.decrypt(ciphertext.encode())
    except InvalidToken:
        return True
    return False
