"""GET /api/v1/orders pages a seller's orders by (imported_at, id): an index on the orders table
for it. Created CONCURRENTLY on PostgreSQL (no write lock on a large table), hence non-atomic."""

from django.db import migrations

INDEX = "api_order_seller_changed_idx"


def create(apps, schema_editor):
    table = apps.get_model("orders", "Order")._meta.db_table
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f'CREATE INDEX {concurrently}IF NOT EXISTS {INDEX} ON "{table}" (seller_id, imported_at, id)'
    )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("api", "0001_initial"),
        ("orders", "0002_import_trouble"),
    ]

    operations = [migrations.RunPython(create, drop)]
