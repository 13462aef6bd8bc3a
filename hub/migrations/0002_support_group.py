"""The "Suporte" group: support staff read everything they need and run the support actions.

They cannot add, change or delete sellers, memberships, users, integrations, events or attempts
(so no token edits and no CNPJ changes); the only writes open to them are the integration actions,
each one behind its own permission and each recorded as an IntegrationEvent.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Suporte"
PERMISSIONS = {
    "hub": ["view_seller", "view_membership"],
    "auth": ["view_user"],
    "integrations": [
        "view_integration",
        "view_integrationevent",
        "view_authorizationattempt",
        "can_refresh_now",
        "can_mark_expired",
        "can_send_reactivation_link",
        "can_disconnect",
        "can_accept_tenant",
    ],
}


def _ensure_permissions(apps) -> None:
    """Permissions are normally created after all migrations run; this group needs them now."""
    for label in PERMISSIONS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_support_group(apps, schema_editor) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    _ensure_permissions(apps)
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    wanted = []
    for app_label, codenames in PERMISSIONS.items():
        found = list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in found}
        if missing:
            raise RuntimeError(f"permissões ausentes para o grupo {GROUP_NAME}: {sorted(missing)}")
        wanted.extend(found)
    group.permissions.set(wanted)


def delete_support_group(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hub", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("integrations", "0002_integration_support_permissions"),
    ]

    operations = [migrations.RunPython(create_support_group, delete_support_group)]
