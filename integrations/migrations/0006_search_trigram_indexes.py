"""Trigram indexes for the admin's search on PostgreSQL: a fragment of an integration's legal
name or tenant id, and of the account chosen in an authorization attempt. Nothing on SQLite
(see hub/migration_operations.py; the extension comes from hub's 0003).

``icontains`` compares ``UPPER(column::text)``, so those columns are indexed as ``UPPER(…)``;
``external_id__contains`` compares the column itself.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations
from django.db.models.functions import Upper

from hub.migration_operations import AddIndexOnPostgres


class Migration(migrations.Migration):
    atomic = False  # the indexes are built CONCURRENTLY

    dependencies = [
        ("hub", "0003_search_trigram_indexes"),
        ("integrations", "0005_expiry_cause_and_retry_time"),
    ]

    operations = [
        AddIndexOnPostgres(
            model="integrations.Integration",
            index=GinIndex(OpClass(Upper("account_name"), name="gin_trgm_ops"), name="integration_account_name_trgm"),
        ),
        AddIndexOnPostgres(
            model="integrations.Integration",
            index=GinIndex(OpClass("external_id", name="gin_trgm_ops"), name="integration_external_id_trgm"),
        ),
        AddIndexOnPostgres(
            model="integrations.AuthorizationAttempt",
            index=GinIndex(OpClass(Upper("chosen_account_name"), name="gin_trgm_ops"), name="attempt_chosen_name_trgm"),
        ),
        AddIndexOnPostgres(
            model="integrations.AuthorizationAttempt",
            index=GinIndex(OpClass(Upper("chosen_external_id"), name="gin_trgm_ops"), name="attempt_chosen_id_trgm"),
        ),
    ]
