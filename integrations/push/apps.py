from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "integrations.push"
    label = "push"
    verbose_name = "Notificações dos marketplaces"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the safety net's Celery task in every process (beat queues it by name).
        from integrations.push import audit_tasks  # noqa: F401
