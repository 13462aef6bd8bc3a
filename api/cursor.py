"""Keyset cursors for the API's feeds: an opaque token for the last position read.

Orders are read in the order the hub wrote them, ``(changed_at, id)`` ascending, where
``changed_at`` is when the hub last stored the order. Whatever the hub writes while a client
pages gets a later ``changed_at`` than anything already read, so it comes after the client's
cursor: a new order, or one updated after the client read it, shows up on a later page (again,
for the updated one), never skipped. Rows younger than ``API_SETTLE_SECONDS`` are held back so a
write still being committed cannot land behind a cursor already handed out.
"""

import base64
import binascii
import json
from datetime import datetime

from rest_framework.exceptions import ValidationError


def encode(moment: datetime | None, pk: int) -> str:
    raw = json.dumps({"t": moment.isoformat() if moment else None, "id": pk})
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(token: str) -> tuple[datetime | None, int]:
    try:
        padded = token + "=" * (-len(token) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        moment = datetime.fromisoformat(data["t"]) if data["t"] is not None else None
        pk = int(data["id"])
        if (moment is not None and moment.tzinfo is None) or pk < 0 or pk > 2**63 - 1:
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error) as exc:
        message = "Cursor inválido: use o next_cursor de uma resposta."
        raise ValidationError({"cursor": [message]}) from exc
    return moment, pk
