from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Contas"

    def ready(self) -> None:
        from hub import folding

        folding.install()
