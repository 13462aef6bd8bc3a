from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "integrations.push"
    label = "push"
    verbose_name = "Notificações dos marketplaces"
    default_auto_field = "django.db.models.BigAutoField"
