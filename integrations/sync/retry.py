"""The one retry policy of every task that calls a marketplace for one integration.

Celery retries the task (``autoretry_for``) when a ``TemporarilyUnavailable`` escapes it, at most
``INTEGRATIONS_REFRESH_MAX_RETRIES`` times, after an exponential backoff with jitter and never
sooner than the server's Retry-After (RFC 9110 §10.2.3; RFC 6585 §4 for 429). The countdown is
computed here, in ``retry``, rather than by Celery's ``retry_backoff``/``retry_jitter``: those read
their figures once, when the task is registered, and Celery's jitter may pick 0 s; this policy
reads the settings at each retry, keeps the upper half of the backoff and puts the Retry-After
floor under it.

A task declares the slot it holds while queued (``holds``, a function of the integration id): the
slot is stretched to cover the countdown, so no sweep queues a second task meanwhile, and freed
when the task ends without a retry. Run inline (eager: no broker, ``keep_tokens_alive``, tests)
Celery would retry at once, ignoring any countdown: there the task gives up and the next sweep is
the retry.
"""

import logging
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval

from integrations import conf
from integrations.services.keeper_store import Slot
from marketplaces import TemporarilyUnavailable

logger = logging.getLogger(__name__)


def retry_countdown(*, retries: int, retry_after: float | None) -> float:
    """Seconds before retry number ``retries + 1``: exponential backoff, capped, its upper half
    kept as jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"), and never sooner
    than the server's Retry-After (itself capped)."""
    backoff = get_exponential_backoff_interval(
        factor=conf.backoff_base_seconds(), retries=retries, maximum=conf.backoff_cap_seconds()
    )
    countdown = random.uniform(backoff / 2, backoff)  # noqa: S311 (jitter, not a secret)
    if retry_after is not None:
        countdown = max(countdown, min(retry_after, conf.retry_after_cap_seconds()))
    return countdown


def retried_task(name: str, **options):
    """Declares a task under this policy; see ``TransientRetry`` for its own options."""
    return shared_task(base=TransientRetry, bind=True, name=name, ignore_result=True, **options)


class TransientRetry(Task):
    """Base of a task whose first argument is an integration's id.

    Options a task may set: ``holds`` (the slot it keeps while queued), ``retry_event`` (the log
    event of a scheduled retry) and ``on_retry_scheduled(integration_id, countdown)``.
    """

    autoretry_for = (TemporarilyUnavailable,)
    holds: Callable[[int], Slot] | None = None
    retry_event = "integrations.task.retry_scheduled"
    on_retry_scheduled: Callable[[int, float], None] | None = None

    @property
    def max_retries(self) -> int:
        return conf.refresh_max_retries()

    def retries_left(self) -> bool:
        """Whether Celery retries a temporary failure raised now (never inline, see above)."""
        return not self.request.is_eager and self.request.retries < self.max_retries

    def attempt[T](self, work: Callable[..., T], integration_id: int, **kwargs) -> T | None:
        """``work(integration_id=…, **kwargs)`` under this policy, the task's slot held. A
        temporary failure goes on to Celery while retries are left; past them (or run inline) the
        task gives up on it and gets None: the integration is unavailable for now, and the next
        sweep is its retry."""
        with self.holding_slot(integration_id):
            try:
                return work(integration_id=integration_id, **kwargs)
            except TemporarilyUnavailable:
                if self.retries_left():
                    raise  # Celery's autoretry lands in ``retry`` below
                return None

    @staticmethod
    def unavailable(integration_id: int) -> dict:
        """The task's result when it gave up on a temporary failure."""
        return {"integration_id": integration_id, "outcome": "unavailable"}

    @contextmanager
    def holding_slot(self, integration_id: int) -> Iterator[None]:
        """The task's slot (if it holds one), freed when the task ends, kept while Celery
        retries it."""
        retrying = False
        try:
            yield
        except TemporarilyUnavailable:
            retrying = self.retries_left()
            raise
        finally:
            if not retrying and type(self).holds is not None:
                type(self).holds(integration_id).release()

    def retry(self, *args, exc=None, countdown=None, **options):
        """Celery's autoretry lands here: the countdown becomes this policy's."""
        if isinstance(exc, TemporarilyUnavailable):
            countdown = retry_countdown(retries=self.request.retries, retry_after=exc.retry_after)
            self._retry_scheduled(countdown)
        return super().retry(*args, exc=exc, countdown=countdown, **options)

    def _retry_scheduled(self, countdown: float) -> None:
        integration_id = self.request.args[0]
        cls = type(self)  # the options are plain functions: read them off the class, unbound
        if cls.holds is not None:
            cls.holds(integration_id).extend(countdown)  # still queued: no second task meanwhile
        if cls.on_retry_scheduled is not None:
            cls.on_retry_scheduled(integration_id, countdown)
        logger.info(
            self.retry_event,
            extra={
                "integration_id": integration_id,
                "retries": self.request.retries,
                "countdown": round(countdown, 1),
            },
        )
