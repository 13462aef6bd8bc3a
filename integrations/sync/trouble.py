"""What a run of a kind's import leaves on the integration's state: its time, its error, and the
start and end of a failing spell, each written to the history once (not once per run).

A spell starts with the first failed run (``import_failing_since``) and ends with the next run
that succeeds. Once it has lasted the kind's ``failing_alert`` the seller's users are told, once
per spell; they are told again when it ends.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import DateTimeField, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from hub.text import clean_text
from integrations.models import Integration
from integrations.services.events import event_record
from integrations.sync.kind import SyncKind
from integrations.sync.models import SyncState

logger = logging.getLogger(__name__)


def sync_failed(*, kind: SyncKind, state: SyncState, error: str, failure: str) -> None:
    """Records a failed run; starts the spell (and its event) on the first one."""
    now = timezone.now()
    error = clean_text(error, 300)
    rows = kind.state.objects.filter(pk=state.pk)
    rows.update(last_import_at=now, last_import_error=error, last_import_failure=failure)
    with transaction.atomic():
        if rows.filter(import_failing_since__isnull=True).update(import_failing_since=now):
            event_record(integration=state.integration, kind=kind.failing_event, details=error)
            logger.warning(
                f"{kind.name}.import.failing",
                extra={"integration_id": state.pk, "failure": failure},
            )
    _tell_when_it_lasts(kind, state.pk, now=now)


def sync_succeeded(
    *,
    kind: SyncKind,
    state: SyncState,
    watermark: datetime | None,
    forward: dict[str, datetime | None] | None = None,
    changes: dict | None = None,
) -> None:
    """Records a good run and ends a spell. The watermark, and the kind's own moments in
    ``forward``, only move forward; ``changes`` are the kind's other figures of the run."""
    values = {
        "last_import_at": timezone.now(),
        "last_import_error": "",
        "last_import_failure": "",
        **(changes or {}),
    }
    for name, value in {"watermark": watermark, **(forward or {})}.items():
        if value is not None:
            values[name] = moved_forward(name, value)
    kind.state.objects.filter(pk=state.pk).update(**values)
    if state.import_failing_since is not None:
        _end_spell(kind, state.pk)


def moved_forward(name: str, moment: datetime) -> Greatest:
    """An update expression: ``moment`` when it is later than the stored ``name`` (or none is),
    so two runs finishing out of order never move a watermark back."""
    value = Value(moment, output_field=DateTimeField())
    return Greatest(Coalesce(name, value), value)


def _end_spell(kind: SyncKind, integration_id: int) -> None:
    with transaction.atomic():
        ended = (
            kind.state.objects.select_for_update()
            .filter(pk=integration_id, import_failing_since__isnull=False)
            .first()
        )
        if ended is None:  # a concurrent run ended it first
            return
        was_told = ended.import_failure_told_at is not None
        since = ended.import_failing_since
        kind.state.objects.filter(pk=integration_id).update(
            import_failing_since=None, import_failure_told_at=None
        )
        integration = Integration.objects.get(pk=integration_id)
        event_record(
            integration=integration,
            kind=kind.recovered_event,
            details=f"falhava desde {timezone.localtime(since):%d/%m/%Y %H:%M}",
        )
        if was_told:
            kind.tell_recovered(integration=integration, since=since)
    logger.info(f"{kind.name}.import.recovered", extra={"integration_id": integration_id})


def _tell_when_it_lasts(kind: SyncKind, integration_id: int, *, now: datetime) -> None:
    """Tells the seller's users once the spell has lasted past the kind's alert threshold."""
    with transaction.atomic():
        told = kind.state.objects.filter(
            pk=integration_id,
            import_failing_since__lte=now - kind.failing_alert(),
            import_failure_told_at__isnull=True,
        ).update(import_failure_told_at=now)
        if not told:
            return
        state = kind.state.objects.select_related("integration").get(pk=integration_id)
        kind.tell_failing(
            integration=state.integration,
            since=state.import_failing_since,
            reason=state.last_import_error,
        )
    logger.warning(f"{kind.name}.import.failing_told", extra={"integration_id": integration_id})
