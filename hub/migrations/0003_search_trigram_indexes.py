"""Trigram indexes for the admin's search on PostgreSQL: a fragment of a seller's name or CNPJ,
and a member's e-mail. Nothing on SQLite (see hub/migration_operations.py).

Django's ``icontains`` compares ``UPPER(column::text) LIKE UPPER('%term%')``, so the name and the
e-mail are indexed as ``UPPER(…)``, the very expression the query filters on; ``cnpj__contains``
compares the column itself. pg_trgm serves LIKE '%…%' from a GIN index
(https://www.postgresql.org/docs/current/pgtrgm.html#PGTRGM-INDEX). The extension is trusted
(PostgreSQL 13+): the database owner may create it.
"""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models.functions import Upper

from hub.migration_operations import AddIndexOnPostgres


class Migration(migrations.Migration):
    atomic = False  # the indexes are built CONCURRENTLY

    dependencies = [
        ("hub", "0002_support_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        TrigramExtension(),
        AddIndexOnPostgres(
            model="hub.Seller",
            index=GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="seller_name_trgm"),
        ),
        AddIndexOnPostgres(
            model="hub.Seller",
            index=GinIndex(OpClass("cnpj", name="gin_trgm_ops"), name="seller_cnpj_trgm"),
        ),
        # auth.User belongs to Django; the hub is what searches its e-mails.
        AddIndexOnPostgres(
            model=settings.AUTH_USER_MODEL,
            index=GinIndex(OpClass(Upper("email"), name="gin_trgm_ops"), name="user_email_trgm"),
        ),
    ]
