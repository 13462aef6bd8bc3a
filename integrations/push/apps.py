from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "integrations.push"
    label = "push"
    verbose_name = "Notificações dos marketplaces"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the Celery tasks in every process (queued by name: the drain from the
        # endpoint, both by beat).
        from integrations.push import tasks  # noqa: F401
