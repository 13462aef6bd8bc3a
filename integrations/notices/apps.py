from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "integrations.notices"
    label = "notices"
    verbose_name = "Notificações"

    def ready(self) -> None:
        # Registers the Celery tasks in every process (beat names them).
        from integrations.notices import tasks  # noqa: F401
