from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "integrations.orders"
    label = "orders"
    verbose_name = "Pedidos"

    def ready(self) -> None:
        # Registers the Celery tasks in every process (queued by name through dispatch).
        from integrations.orders import tasks  # noqa: F401
