"""Text compared without case or accents, for the admin's search: "Ipe" finds "Loja Ipê".

``column__folded`` is ``hub_fold(column)``: on PostgreSQL an IMMUTABLE SQL function over the
``unaccent`` extension (hub/migrations/0005), so the trigram indexes can hold it (an index
expression must be IMMUTABLE, and ``unaccent(text)`` is only STABLE, see
https://www.postgresql.org/docs/current/unaccent.html); on SQLite the same function in Python,
registered on every connection. The search term is folded in Python by ``fold``.
"""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField, Transform


def fold(text: str) -> str:
    """Accents dropped (Unicode decomposition without its combining marks), then upper case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).upper()


class Folded(Transform):
    lookup_name = "folded"
    function = "hub_fold"
    output_field = TextField()


def _register_on_sqlite(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("hub_fold", 1, _sqlite_fold, deterministic=True)


def _sqlite_fold(value):
    return None if value is None else fold(str(value))


def install() -> None:
    """Called once at start-up (HubConfig.ready)."""
    CharField.register_lookup(Folded)
    TextField.register_lookup(Folded)
    connection_created.connect(_register_on_sqlite, dispatch_uid="hub.folding")
