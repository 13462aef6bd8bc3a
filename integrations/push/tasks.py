"""Thin Celery task of the push intake: no arguments, a small dict out, no token ever."""

from celery import shared_task

from integrations.push import conf
from integrations.push.services.drain import notifications_drain


@shared_task(name=conf.DRAIN_TASK, ignore_result=True)
def drain_task(slot: int | None = None) -> dict:
    return {"settled": notifications_drain(slot=slot)}
