"""One sweep of every stand-in that pushes: queue what changed, send what is due, forget what the
missed feeds no longer keep. Run every few seconds by the periodic task and ``sandbox_push``."""

import logging
from datetime import timedelta

import requests
from django.utils import timezone

from marketplaces import enabled_marketplaces
from marketplaces.sandbox import outbox, push_conf, push_delivery

logger = logging.getLogger(__name__)


def sweep() -> dict[str, int]:
    """Counts of the sweep: notifications delivered, failed attempts, queued, suppressed."""
    counts = {"delivered": 0, "failed_attempts": 0, "queued": 0, "suppressed": 0}
    if not push_conf.push_on():
        return counts
    now = timezone.now()
    offered = set(enabled_marketplaces())
    with requests.Session() as session:
        session.trust_env = False  # the hub is local: no proxy, no ~/.netrc
        for key, sender in push_conf.senders().items():
            if key not in offered:
                continue  # the hub has no endpoint for a marketplace it does not offer
            counts["queued"] += outbox.queue_changes(sender)
            tally = push_delivery.deliver_due(sender, session=session)
            counts["delivered"] += tally.delivered
            counts["failed_attempts"] += tally.failed_attempts
            counts["suppressed"] += tally.suppressed
    push_delivery.prune(now=now, keep=timedelta(hours=push_conf.retention_hours()))
    return counts
