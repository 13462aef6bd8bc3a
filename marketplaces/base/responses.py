"""Reading what authorization servers and APIs answer: grants, RFC 6749 §5.2 errors, JWT claims.

Every function is pure and tolerant: a value it cannot use gives None (or ""), never an
exception, so garbage from a server is told apart from a real answer by the caller.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from .values import TokenGrant

DESCRIPTION_MAX_CHARS = 200
_REDACTED = "[redacted]"
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from an ISO 8601 string (a naive one is taken as UTC)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_grant(
    body: Any,
    *,
    now: datetime,
    account_id_field: str | None,
    expires_in_field: str = "expires_in",
    accounts_field: str | None = None,
) -> TokenGrant | None:
    """A grant from a 2xx token response (RFC 6749 §5.1), or None when it is garbage."""
    if not isinstance(body, dict):
        return None
    access_token, refresh_token = body.get("access_token"), body.get("refresh_token")
    if not (isinstance(access_token, str) and access_token):
        return None
    if not (isinstance(refresh_token, str) and refresh_token):
        return None
    expires_in = number(body.get(expires_in_field))
    if expires_in is None:
        return None
    # Magalu sends created_at (Unix seconds, sometimes a string); count from it when present.
    created_at = number(body.get("created_at"))
    try:
        issued_at = datetime.fromtimestamp(created_at, UTC) if created_at is not None else now
        expires_at = issued_at + timedelta(seconds=expires_in)
    except (OverflowError, OSError, ValueError):
        return None
    accounts = identifiers(body.get(accounts_field)) if accounts_field else ()
    if accounts is None:
        return None
    token_type = body.get("token_type")
    return TokenGrant(
        access_token=access_token,
        refresh_token=refresh_token,
        expires_at=expires_at,
        scopes=scopes(body.get("scope")),
        token_type=token_type if isinstance(token_type, str) and token_type else "Bearer",
        account_id=identifier(body.get(account_id_field)) if account_id_field else "",
        accounts=accounts,
    )


# RFC 9110 §15.6.3 (502 Bad Gateway) and §15.6.5 (504 Gateway Timeout): an intermediary answers
# in the server's place, having lost (or given up waiting for) the server's own answer; the server
# may have acted, or may still act, on the request.
GATEWAY_STATUSES = frozenset({502, 504})


def gateway_outcome_unknown(status: int) -> bool:
    """Whether a 5xx came from a gateway in the server's place: the request may still land."""
    return status in GATEWAY_STATUSES


def server_answer_in_doubt(status: int, error_code: str | None) -> bool:
    """Whether the server's own 429/5xx leaves it open that it acted before failing.

    A 429 is a refusal before any work (RFC 6585 §4). A 503 carrying the authorization server's
    own ``temporarily_unavailable`` (RFC 6749 §4.1.2.1) says it did not act. Any other 5xx that is
    not a gateway's (a 500, a bare 503) is the server's answer after it stopped working on the
    request, possibly after committing: nothing can land later, but the work may be done.
    """
    if status == 429 or gateway_outcome_unknown(status):
        return False
    return not (status == 503 and error_code == "temporarily_unavailable")


def decode_jwt_claims(token: str) -> dict[str, Any] | None:
    """The payload of a compact JWS, WITHOUT verifying it; None when it is not a readable JWT.

    Only for "which account did the seller pick": the token came straight from the token endpoint.
    """
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        return None
    payload = parts[1].rstrip("=")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(raw)
    except (binascii.Error, ValueError):  # UnicodeDecodeError and JSONDecodeError included
        return None
    return claims if isinstance(claims, dict) else None


def oauth_error(
    body: Any, description_fields: tuple[str, ...] = ("error_description",)
) -> tuple[str | None, str]:
    """The RFC 6749 §5.2 `error` and `error_description` of a body, if any (the description
    from the first of ``description_fields`` the body has)."""
    if not isinstance(body, dict):
        return None, ""
    code = body.get("error")
    description = next((body[name] for name in description_fields if body.get(name)), "")
    return (
        code[:100] if isinstance(code, str) and code else None,
        " ".join(description.split()) if isinstance(description, str) else "",
    )


def api_error_code(body: Any) -> str | None:
    """An API error body's code: ``error`` (RFC 6750 §3) or a ``code`` member."""
    if not isinstance(body, dict):
        return None
    for name in ("error", "code"):
        value = body.get(name)
        if isinstance(value, str) and value:
            return value[:100]
    return None


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Provider text may echo what we sent; blank out anything secret before it is shown."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, _REDACTED)
    return text


def error_message(
    display_name: str, summary: str, status: int, error_code: str | None, description: str
) -> str:
    detail = f"HTTP {status}" + (f", {error_code}" if error_code else "")
    message = f"{display_name}: {summary} ({detail})"
    if description:
        message += f": {description[:DESCRIPTION_MAX_CHARS]}"
    return message


def number(value: Any) -> float | None:
    """A non-negative finite number from a JSON number or a numeric string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        result = float(value.strip())
    else:
        return None
    return result if math.isfinite(result) and result >= 0 else None


def identifier(value: Any) -> str:
    """An account id from a JSON number or string ("" when absent or unusable)."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()[:64]
    return ""


def identifiers(value: Any) -> tuple[str, ...] | None:
    """Account ids from a JSON list (() when absent); None when anything in it is unusable or
    repeated: a list the hub cannot read whole is not read in part."""
    if value is None:
        return ()
    if not isinstance(value, list):
        return None
    ids = tuple(identifier(item) for item in value)
    if not all(ids) or len(set(ids)) != len(ids):
        return None
    return ids


def text(value: Any, limit: int = 255) -> str:
    """A display string from a JSON value ("" unless a string); control characters dropped."""
    if not isinstance(value, str):
        return ""
    if value.isprintable() and "  " not in value and value == value.strip():
        return value[:limit]  # the usual case, checked in C: nothing to clean
    cleaned = "".join(ch for ch in value if ch.isprintable())
    return " ".join(cleaned.split())[:limit]


def scopes(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(value.split())
    if isinstance(value, list):
        return frozenset(item for item in value if isinstance(item, str) and item)
    return frozenset()
