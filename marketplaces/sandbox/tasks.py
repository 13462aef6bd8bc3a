"""The stand-ins' periodic task (development only: the app is installed with the stand-ins)."""

from celery import shared_task

from marketplaces.sandbox import push_sweep

PUSH_SWEEP_TASK = "sandbox.push_sweep"


@shared_task(name=PUSH_SWEEP_TASK, ignore_result=True)
def sandbox_push_sweep() -> dict[str, int]:
    """The stand-ins push what changed and what is due, as the marketplaces would."""
    return push_sweep.sweep()
