"""Thin Celery tasks: endpoint ids in, the delivery service does the rest."""

from celery import shared_task
from django.db.models import Min
from django.utils import timezone

from api.dispatch import DELIVER_TASK, SWEEP_TASK, deliver_endpoints
from api.models import WebhookDelivery
from api.services.delivery import deliveries_send


@shared_task(name=DELIVER_TASK, ignore_result=True)
def webhooks_deliver(endpoint_ids: list[int]) -> int:
    return deliveries_send(endpoint_ids=endpoint_ids)


@shared_task(name=SWEEP_TASK, ignore_result=True)
def webhooks_sweep() -> int:
    """Beat's safety net: every endpoint with a due delivery (a lost task, a lapsed lease, a
    retry whose time came) gets a task."""
    endpoint_ids = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING,
            next_attempt_at__lte=timezone.now(),
            endpoint__enabled=True,
        )
        .values("endpoint_id")
        .annotate(due=Min("next_attempt_at"))
        .order_by("due")
        .values_list("endpoint_id", flat=True)
    )
    deliver_endpoints(endpoint_ids)
    return len(endpoint_ids)
