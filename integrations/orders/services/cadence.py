"""How often each Ativo integration's orders are read: the audit cadence.

While its marketplace's push is healthy (``integrations.push.health``) an integration is read by
an audit every ``PUSH_AUDIT_INTERVAL_MINUTES`` from its watermark; otherwise, and while its
account had a gap lately, never imported yet or its imports are failing, every
``ORDERS_IMPORT_INTERVAL_SECONDS`` as before push. The sweep asks for the due ones in keyset
batches: one filter in SQL over the integration, its pulse and its recent gaps, whatever the
number of integrations.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from integrations.models import Integration
from integrations.orders import conf as orders_conf
from integrations.push import audit_conf as conf
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
    recent_gap = Exists(
        PushGap.objects.filter(integration=OuterRef("pk"), found_at__gte=now - conf.gap_lookback())
    )
    return (
        ~Q(marketplace__in=relied_on)
        | Q(order_pulse__isnull=True)
        | Q(order_pulse__last_import_at__isnull=True)
        | Q(order_pulse__last_import_at__lte=audit_due)
        | Q(order_pulse__import_failing_since__isnull=False)
        | recent_gap
    )


def integrations_due_for_import(
    *, batch_size: int, now: datetime | None = None
) -> Iterator[list[int]]:
    """Ids of the Ativo integrations due for a read, in batches by keyset on the primary key;
    push health is judged once for the whole sweep."""
    now = now or timezone.now()
    due = Integration.objects.filter(status=Integration.Status.ACTIVE).filter(
        import_due_q(relied_on=relied_on_marketplaces(now=now), now=now)
    )
    last_pk = 0
    while True:
        ids = list(
            due.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if ids:
            yield ids
        if len(ids) < batch_size:
            return
        last_pk = ids[-1]


def cadence_label(health: MarketplacePush) -> str:
    """The cadence in force for the marketplace's accounts, in support's words."""
    if health.relied_on:
        minutes = round(conf.audit_interval().total_seconds() / 60)
        return f"Auditoria a cada {minutes} min (contas com falha recente: importação normal)"
    minutes = round(orders_conf.import_interval_seconds() / 60, 1)
    return f"Importação a cada {minutes:g} min"
