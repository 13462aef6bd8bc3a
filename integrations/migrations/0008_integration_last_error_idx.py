"""Support's filter "com erro nas últimas 24 h" reads the few integrations with an error by
their time instead of walking every Ativo row (built CONCURRENTLY on PostgreSQL: writes go on)."""

from django.db import migrations, models

from hub.migration_operations import AddIndexConcurrently


class Migration(migrations.Migration):
    atomic = False  # the index is built CONCURRENTLY

    dependencies = [
        ("integrations", "0007_integration_due_idx_with_id"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="integration",
            index=models.Index(
                condition=models.Q(last_error_at__isnull=False),
                fields=["last_error_at"],
                name="integration_last_error_idx",
            ),
        ),
    ]
