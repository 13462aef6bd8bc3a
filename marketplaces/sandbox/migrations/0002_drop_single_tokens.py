# The stand-in's tokens become families (rotation with reuse detection): what was issued before
# is throwaway development data, dropped rather than converted.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("sandbox", "0001_initial")]

    operations = [
        migrations.DeleteModel(name="SandboxAuthorizationCode"),
        migrations.DeleteModel(name="SandboxRefreshToken"),
        migrations.DeleteModel(name="SandboxLatency"),
    ]
