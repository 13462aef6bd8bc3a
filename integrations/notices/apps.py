from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "integrations.notices"
    label = "notices"
    verbose_name = "Notificações"
    default_auto_field = "django.db.models.BigAutoField"
