"""The admin's search without accents on PostgreSQL: ``hub_fold(text)``, ``UPPER(unaccent(…))``
as an IMMUTABLE function an index can hold (``unaccent`` itself is STABLE: its dictionary could
change, https://www.postgresql.org/docs/current/unaccent.html), and the seller name's trigram
index over it in place of the one over ``UPPER(name)``. Nothing on SQLite, where ``hub_fold`` is
a Python function registered on each connection (hub/folding.py).

The dictionary and the function are named with their schema, so the function gives the same
answer whatever the caller's ``search_path`` (an IMMUTABLE function must). ``unaccent`` is a
trusted extension (PostgreSQL 13+): the database owner may create it.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations
from django.db.models import F, Func, TextField
from django.db.models.functions import Upper

from hub.migration_operations import AddIndexOnPostgres, RemoveIndexOnPostgres, RunSQLOnPostgres

FOLD_FUNCTION = """
CREATE OR REPLACE FUNCTION public.hub_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT upper(public.unaccent('public.unaccent'::regdictionary, $1)) $$
"""


class Migration(migrations.Migration):
    atomic = False  # the indexes are built CONCURRENTLY

    dependencies = [("hub", "0004_seller_name_idx")]

    operations = [
        UnaccentExtension(),
        RunSQLOnPostgres(FOLD_FUNCTION, "DROP FUNCTION IF EXISTS public.hub_fold(text)"),
        AddIndexOnPostgres(
            model="hub.Seller",
            index=GinIndex(
                OpClass(Func(F("name"), function="hub_fold", output_field=TextField()), name="gin_trgm_ops"),
                name="seller_name_folded_trgm",
            ),
        ),
        RemoveIndexOnPostgres(
            model="hub.Seller",
            index=GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="seller_name_trgm"),
        ),
    ]
