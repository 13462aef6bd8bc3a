"""The account's whole CNPJ/CPF for support's search, and the admin's searches of legal names
without accents: trigram indexes over ``hub_fold(…)`` (hub/migrations/0005) in place of those
over ``UPPER(…)`` from 0006, and one over the document number. Indexes on PostgreSQL only (see
hub/migration_operations.py).
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models
from django.db.models import F, Func, TextField
from django.db.models.functions import Upper

from hub.migration_operations import AddIndexOnPostgres, RemoveIndexOnPostgres


def folded_trgm(column: str, name: str) -> GinIndex:
    return GinIndex(
        OpClass(Func(F(column), function="hub_fold", output_field=TextField()), name="gin_trgm_ops"),
        name=name,
    )


class Migration(migrations.Migration):
    atomic = False  # the indexes are built CONCURRENTLY

    dependencies = [
        ('hub', '0005_search_unaccent'),
        ('integrations', '0010_refresh_sent_by_and_rotation_doubt'),
    ]

    operations = [
        migrations.AddField(
            model_name='integration',
            name='account_document_number',
            field=models.CharField(blank=True, default='', editable=False, max_length=14, verbose_name='CNPJ/CPF da conta (só para a busca)'),
        ),
        AddIndexOnPostgres(
            model="integrations.Integration",
            index=GinIndex(OpClass("account_document_number", name="gin_trgm_ops"), name="integration_document_trgm"),
        ),
        AddIndexOnPostgres(
            model="integrations.Integration",
            index=folded_trgm("account_name", "integration_account_name_folded_trgm"),
        ),
        RemoveIndexOnPostgres(
            model="integrations.Integration",
            index=GinIndex(OpClass(Upper("account_name"), name="gin_trgm_ops"), name="integration_account_name_trgm"),
        ),
        AddIndexOnPostgres(
            model="integrations.AuthorizationAttempt",
            index=folded_trgm("chosen_account_name", "attempt_chosen_name_folded_trgm"),
        ),
        RemoveIndexOnPostgres(
            model="integrations.AuthorizationAttempt",
            index=GinIndex(OpClass(Upper("chosen_account_name"), name="gin_trgm_ops"), name="attempt_chosen_name_trgm"),
        ),
    ]
