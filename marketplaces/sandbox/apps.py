from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "marketplaces.sandbox"
    label = "sandbox"
    verbose_name = "Simuladores locais de marketplaces"
