"""The token keeper's evidence, two more columns: the latest moment a lease's token request
leaves (the late-arrival window of a holder that died counts from it), and when a refresh the
server answered with an error left (a later invalid_grant is then a lost rotation)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0009_disconnected_state_and_import_trouble"),
    ]

    operations = [
        migrations.AddField(
            model_name="integration",
            name="refresh_sent_by",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="integration",
            name="rotation_doubt_since",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="renovação respondida com erro desde"
            ),
        ),
    ]
