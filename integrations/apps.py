from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrações"

    def ready(self) -> None:
        # Registers the Celery tasks in every process, so services can queue them by name
        # (integrations.dispatch) without importing the module that imports them.
        from integrations import tasks  # noqa: F401

        # The marketplaces' settings are read by their packages, not by the project's settings:
        # a deployment that cannot work stops here, at start, with one line per problem.
        from marketplaces import configuration_problems

        if problems := configuration_problems():
            raise ImproperlyConfigured(" ".join(problems))
