"""The "Reprocessar" permission, and the "Suporte" group's right to read the notifications, the
gaps and the orders and to reprocess notifications."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Suporte"
PERMISSIONS = {
    "push": ["view_notification", "view_pushgap", "can_reprocess_notification"],
    "orders": ["view_order"],
}


def grant_support(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for label in PERMISSIONS:
        # Permissions are normally created after all migrations run; the group needs them now.
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        return
    for label, codenames in PERMISSIONS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
        )


def revoke_support(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP_NAME).first()
    if group is None:
        return
    for label, codenames in PERMISSIONS.items():
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=label, codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("push", "0001_initial"),
        ("orders", "0003_provenance"),
        ("hub", "0002_support_group"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="notification",
            options={
                "ordering": ["-received_at", "-id"],
                "permissions": [("can_reprocess_notification", "Pode reprocessar notificações")],
                "verbose_name": "notificação recebida",
                "verbose_name_plural": "notificações recebidas",
            },
        ),
        migrations.RunPython(grant_support, revoke_support),
    ]
