"""A kind of data the hub reads from each integration's marketplace account, as the generic
sweep, trouble bookkeeping and retry policy need to know it."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from integrations.services.keeper_store import Slot
from integrations.sync.models import SyncState


@dataclass(frozen=True)
class SyncKind:
    # Names the kind's slots and its log events ("<name>.import.failing").
    name: str
    # Its per-integration state, a ``SyncState``.
    state: type[SyncState]
    # The Celery task that imports one integration, queued by name with the integration's id.
    task: str
    # The sweep spreads its tasks over this many seconds (no burst against the marketplaces).
    spread_seconds: float
    # A failing spell that has lasted this long is told to the seller's users (once per spell).
    failing_alert: Callable[[], timedelta]
    # The history's entries (``IntegrationEvent.Kind``) at a spell's start and end.
    failing_event: str
    recovered_event: str
    # Telling the seller's users, in the kind's own words.
    tell_failing: Callable[..., None]  # (*, integration, since, reason)
    tell_recovered: Callable[..., None]  # (*, integration, since)
    # Which Ativo integrations the sweep reads now, in batches of ids (``batch_size=``): a kind
    # read on a cadence of its own says so; None reads every Ativo integration on every sweep.
    due_ids: Callable[..., Iterator[list[int]]] | None = None

    def slot(self, integration_id: int) -> Slot:
        """Held while a task of this kind for the integration is queued or running."""
        return Slot(self.name, integration_id)
