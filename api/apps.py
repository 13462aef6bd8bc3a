from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API e webhooks"

    def ready(self) -> None:
        # Registers the Celery tasks in every process.
        from api import tasks  # noqa: F401
        from api.services.outbox_orders import orders_upsert_with_outbox
        from integrations.orders.services.upsert import register_page_statement_wrapper
        from integrations.services.events import event_recorded

        # The seller's webhooks are written with the change, in its own transaction.
        event_recorded.connect(_event_to_outbox, dispatch_uid="api.outbox")
        register_page_statement_wrapper(orders_upsert_with_outbox)


def _event_to_outbox(sender, event, **kwargs) -> None:
    from api.services.outbox import outbox_for_event

    outbox_for_event(event=event)
