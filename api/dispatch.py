"""Queuing the delivery tasks by name, so the services that write the outbox never import the
tasks module (which imports them): the task is looked up in the Celery app's registry, filled
when the app is ready (``ApiConfig.ready``); run inline, ``apply_async`` executes it at once."""

from celery import current_app

from api.sources import task_queue

DELIVER_TASK = "api.webhooks_deliver"
SWEEP_TASK = "api.webhooks_sweep"


def deliver_endpoints(endpoint_ids: list[int]) -> None:
    """Queues one task per endpoint (an endpoint's slow receiver delays only its own)."""
    queue = task_queue()
    options = {"queue": queue} if queue else {}
    for endpoint_id in endpoint_ids:
        current_app.tasks[DELIVER_TASK].apply_async(args=[[endpoint_id]], **options)
