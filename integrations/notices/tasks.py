"""Thin Celery tasks of the notices: no arguments, a count out."""

from celery import shared_task

from integrations.notices.authorization_end import authorization_ending_notify

AUTHORIZATION_ENDING_TASK = "notices.authorization_ending_sweep"


@shared_task(name=AUTHORIZATION_ENDING_TASK, ignore_result=True)
def authorization_ending_sweep_task() -> dict:
    return {"notified": authorization_ending_notify()}
