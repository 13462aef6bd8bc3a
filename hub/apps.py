from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Contas"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from hub import folding

        folding.install()
