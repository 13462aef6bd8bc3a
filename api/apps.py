from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API e webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the Celery tasks in every process.
        from api import tasks  # noqa: F401
