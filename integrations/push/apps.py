from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "integrations.push"
    label = "push"
    verbose_name = "Notificações dos marketplaces"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the Celery task in every process (queued by name from the endpoint).
        from integrations.push import tasks  # noqa: F401
