"""Counts the e-mails the hub sends, for the metrics: a wrapper around the configured backend.

The count lives in Redis (``INCRBY``), shared by every web and worker process on every machine;
a Redis restart resets it, which Prometheus' ``rate()`` and ``increase()`` treat as a counter
reset. Without Redis (development) each process counts for itself.
"""

import logging

from django.core.mail.backends.base import BaseEmailBackend
from django.utils.module_loading import import_string

from observe.redis_client import redis_client

logger = logging.getLogger(__name__)

EMAILS_SENT_KEY = "hub:metrics:emails_sent"
_local_count = 0


def emails_sent_count() -> int:
    client = redis_client()
    if client is None:
        return _local_count
    return int(client.get(EMAILS_SENT_KEY) or 0)


def _count(sent: int) -> None:
    global _local_count
    client = redis_client()
    if client is None:
        _local_count += sent
        return
    try:
        client.incrby(EMAILS_SENT_KEY, sent)
    except Exception:  # the mail went out; a lost count must not turn it into an error
        logger.warning("hub.metrics.email_count_lost", exc_info=True)


class CountingBackend(BaseEmailBackend):
    def __init__(self, *, backend: str, options: dict | None = None, alias=None, **kwargs):
        # Everything else (fail_silently...) is the wrapped backend's to accept or refuse.
        self._inner = import_string(backend)(alias=alias, **(options or {}), **kwargs)
        super().__init__(alias=alias)

    def open(self):
        return self._inner.open()

    def close(self):
        return self._inner.close()

    def send_messages(self, email_messages) -> int:
        sent = self._inner.send_messages(email_messages) or 0
        if sent:
            _count(sent)
        return sent
