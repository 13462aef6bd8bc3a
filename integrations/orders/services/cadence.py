"""How often each Ativo integration's orders are read: the audit cadence.

While its marketplace's push is healthy (``integrations.push.health``) an integration is read by
an audit every ``PUSH_AUDIT_INTERVAL_MINUTES`` from its watermark; otherwise, and while its
account had a gap lately, never imported yet or its imports are failing, every
``ORDERS_IMPORT_INTERVAL_SECONDS`` as before push. The sweep asks for the due ones in one query:
one filter in SQL over the integration, its pulse and its recent gaps, whatever the number of
integrations (benchmarks/push_cadence.py: as fast as listing every Ativo one at 100,000).
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from integrations.models import Integration
from integrations.orders import conf as orders_conf
from integrations.orders.models import OrderPulse
from integrations.push import conf
from integrations.push.health import MarketplacePush, relied_on_marketplaces
from integrations.push.models import PushGap


def import_due_q(*, relied_on: list[str], now: datetime) -> Q:
    """Which integrations are due for a read now, given the marketplaces whose push is relied
    on: all of the others, and of these the ones whose audit is due or that need watching."""
    if not relied_on:
        return Q()
    # A run lands up to a sweep after it is due: allow one import interval of slack.
    slack = timedelta(seconds=orders_conf.import_interval_seconds())
    audit_due = now - max(conf.audit_interval() - slack, timedelta(0))
    # The few accounts with a recent gap, read once per query (a hashed subplan), not per row.
    recent_gap = Q(
        pk__in=PushGap.objects.filter(found_at__gte=now - conf.gap_lookback()).values(
            "integration_id"
        )
    )
    # Not due only with a recent import that did not fail: one primary-key probe of its pulse
    # per integration read (a join would be merged from the pulse table's start on each batch).
    audited_lately = Exists(
        OrderPulse.objects.filter(
            integration=OuterRef("pk"),
            last_import_at__gt=audit_due,
            import_failing_since__isnull=True,
        )
    )
    return ~Q(marketplace__in=relied_on) | recent_gap | ~audited_lately


def integrations_due_for_import(
    *, batch_size: int, now: datetime | None = None
) -> Iterator[list[int]]:
    """Ids of the Ativo integrations due for a read, in batches, from one query (push health
    judged once for the whole sweep): the pulses and the gaps are hashed once, not per batch."""
    now = now or timezone.now()
    due = (
        Integration.objects.filter(status=Integration.Status.ACTIVE)
        .filter(import_due_q(relied_on=relied_on_marketplaces(now=now), now=now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The planner would JIT-compile this filter (its cost passes jit_above_cost), which
            # takes longer than running it: measured 0.8 s of 1.1 s at 100,000 integrations.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        ids = list(due)
    for start in range(0, len(ids), batch_size):
        yield ids[start : start + batch_size]


def cadence_label(health: MarketplacePush) -> str:
    """The cadence in force for the marketplace's accounts, in support's words."""
    if health.relied_on:
        minutes = round(conf.audit_interval().total_seconds() / 60)
        return f"Auditoria a cada {minutes} min (contas com falha recente: importação normal)"
    minutes = round(orders_conf.import_interval_seconds() / 60, 1)
    return f"Importação a cada {minutes:g} min"
