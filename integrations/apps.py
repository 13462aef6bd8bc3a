from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrações"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the Celery tasks in every process, so services can queue them by name
        # (integrations.dispatch) without importing the module that imports them.
        from integrations import tasks  # noqa: F401
