"""Whether each marketplace's push can be relied on now: the one rule behind the audit cadence.

Computed once per sweep for every marketplace in two aggregate queries over the notifications
(the recent ones on ``push_recent_idx``, the pending ones on ``push_pending_idx``), never once per
integration. Push is relied on only when it is declared (``Capability.PUSH``), allowed by the
settings, heard from lately, mostly understood and processed without a backlog; anything else
falls back to the import at its usual interval (fail closed: polling is the safety net).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from integrations.push import conf
from integrations.push.models import Notification
from marketplaces import PROVIDERS, Capability

State = Notification.State
# What the hub could not make sense of: a failed fetch, an account or a topic it does not know.
TROUBLED = (State.FAILED, State.UNKNOWN_ACCOUNT, State.UNKNOWN_TOPIC)


class PushState(StrEnum):
    HEALTHY = "healthy"
    SILENT = "silent"
    FAILING = "failing"
    DISABLED = "disabled"  # by a setting
    UNSUPPORTED = "unsupported"  # the marketplace declares no push


STATE_LABELS = {
    PushState.HEALTHY: "Saudável",
    PushState.SILENT: "Silenciosa",
    PushState.FAILING: "Falhando",
    PushState.DISABLED: "Desativada nas configurações",
    PushState.UNSUPPORTED: "Marketplace sem notificações",
}


@dataclass(frozen=True)
class MarketplacePush:
    """One marketplace's push as the cadence sees it, with the figures that decided it."""

    marketplace: str
    state: PushState
    reason: str  # pt-BR, for support
    received_in_window: int = 0
    troubled_in_window: int = 0
    last_received_at: datetime | None = None
    pending: int = 0
    oldest_pending_at: datetime | None = None

    @property
    def relied_on(self) -> bool:
        return self.state == PushState.HEALTHY

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def push_health(*, now: datetime | None = None) -> dict[str, MarketplacePush]:
    """Every registered marketplace's push, by key (two queries, whatever the traffic)."""
    now = now or timezone.now()
    pushing = [key for key, cls in PROVIDERS.items() if Capability.PUSH in cls.capabilities]
    recent, pending = {}, {}
    if pushing:
        recent = _by_marketplace(
            Notification.objects.filter(
                marketplace__in=pushing, received_at__gte=now - conf.silence_window()
            ),
            received=Count("pk"),
            troubled=Count("pk", filter=Q(state__in=TROUBLED)),
            last=Max("received_at"),
        )
        pending = _by_marketplace(
            Notification.objects.filter(state=State.PENDING, marketplace__in=pushing),
            count=Count("pk"),
            oldest=Min("received_at"),
        )
    return {
        key: _judge(key, key in pushing, recent.get(key, {}), pending.get(key, {}), now)
        for key in PROVIDERS
    }


def relied_on_marketplaces(*, now: datetime | None = None) -> list[str]:
    """The marketplaces whose push is healthy now: their accounts get audits, not imports."""
    return [key for key, health in push_health(now=now).items() if health.relied_on]


def _by_marketplace(queryset, **aggregates) -> dict[str, dict]:
    rows = queryset.order_by().values("marketplace").annotate(**aggregates)
    return {row.pop("marketplace"): row for row in rows}


def _judge(key: str, declared: bool, recent: dict, pending: dict, now: datetime) -> MarketplacePush:
    if not declared:
        return MarketplacePush(key, PushState.UNSUPPORTED, "O marketplace não envia notificações.")
    received, troubled = recent.get("received", 0), recent.get("troubled", 0)
    figures = {
        "received_in_window": received,
        "troubled_in_window": troubled,
        "last_received_at": recent.get("last"),
        "pending": pending.get("count", 0),
        "oldest_pending_at": pending.get("oldest"),
    }
    window = _minutes(conf.silence_window())
    if not conf.reduce_polling() or key in conf.untrusted_marketplaces():
        reason = "As notificações não são usadas para reduzir a importação (configuração)."
        return MarketplacePush(key, PushState.DISABLED, reason, **figures)
    oldest = figures["oldest_pending_at"]
    if oldest is not None and oldest <= now - conf.pending_stale():
        reason = (
            f"Há notificações aguardando processamento há mais de {_minutes(now - oldest)} min."
        )
        return MarketplacePush(key, PushState.FAILING, reason, **figures)
    if troubled >= conf.failing_min_notifications() and troubled >= received * conf.failing_share():
        reason = (
            f"{troubled} de {received} notificações em {window} min falharam ou não foram "
            "reconhecidas."
        )
        return MarketplacePush(key, PushState.FAILING, reason, **figures)
    if received == 0:
        reason = f"Nenhuma notificação recebida nos últimos {window} min."
        return MarketplacePush(key, PushState.SILENT, reason, **figures)
    reason = f"{received} notificações nos últimos {window} min."
    return MarketplacePush(key, PushState.HEALTHY, reason, **figures)


def _minutes(span) -> int:
    return max(0, int(span.total_seconds() // 60))
