"""integration_due_idx gains the id, in the admin list's order: a page of the integrations list,
or of Token Expirado, is read from the index in order instead of sorting every row of the status.

The new index is built next to the old one (CONCURRENTLY on PostgreSQL: writes go on), then the
old one is dropped and the new one takes its name, so the token keeper is never without it.
"""

from django.db import migrations, models

from hub.migration_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # the index is built CONCURRENTLY

    dependencies = [
        ("integrations", "0006_search_trigram_indexes"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="integration",
            index=models.Index(
                fields=["status", "access_token_expires_at", "-id"], name="integration_due_next"
            ),
        ),
        migrations.RemoveIndex(model_name="integration", name="integration_due_idx"),
        migrations.RenameIndex(
            model_name="integration", new_name="integration_due_idx", old_name="integration_due_next"
        ),
    ]
