"""Whether each marketplace's push can be relied on now: the one rule behind the audit cadence.

Computed once per sweep for every marketplace in two aggregate queries over the notifications
(the recent ones on ``push_recent_idx``, the pending ones on ``push_pending_idx``), never once per
integration. Push is relied on only when it is declared (``Capability.PUSH``), allowed by the
settings, heard from lately, mostly understood and processed without a backlog; anything else
falls back to the import at its usual interval (fail closed: polling is the safety net).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.core.signals import setting_changed
from django.db.models import Count, Min, Q
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
    pending: int = 0

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
    """The marketplaces whose push is healthy now: their accounts get audits, not imports.

    Without ``now``, an answer up to ``RELIED_ON_TTL_SECONDS`` old: every import run asks (many
    a minute), and push's health moves on the scale of the silence window, so this process
    judges it once a minute instead of twice a run."""
    global _relied_on
    if now is None and _relied_on is not None and time.monotonic() < _relied_on[0]:
        return list(_relied_on[1])
    relied = [key for key, health in push_health(now=now).items() if health.relied_on]
    if now is None:
        _relied_on = (time.monotonic() + RELIED_ON_TTL_SECONDS, relied)
    return list(relied)


def forget_relied_on(**kwargs) -> None:
    """The next ``relied_on_marketplaces()`` judges afresh (a setting changed; tests)."""
    global _relied_on
    _relied_on = None


RELIED_ON_TTL_SECONDS = 60.0
# (when it goes stale, by time.monotonic(); the marketplaces) or None
_relied_on: tuple[float, list[str]] | None = None
setting_changed.connect(forget_relied_on, dispatch_uid="push.health.relied_on")


def _by_marketplace(queryset, **aggregates) -> dict[str, dict]:
    rows = queryset.order_by().values("marketplace").annotate(**aggregates)
    return {row.pop("marketplace"): row for row in rows}


def _judge(key: str, declared: bool, recent: dict, pending: dict, now: datetime) -> MarketplacePush:
    if not declared:
        return MarketplacePush(key, PushState.UNSUPPORTED, "O marketplace não envia notificações.")
    received, troubled = recent.get("received", 0), recent.get("troubled", 0)
    waiting = pending.get("count", 0)
    window = _minutes(conf.silence_window())
    if not conf.reduce_polling() or key in conf.untrusted_marketplaces():
        reason = "As notificações não são usadas para reduzir a importação (configuração)."
        return MarketplacePush(key, PushState.DISABLED, reason, pending=waiting)
    oldest = pending.get("oldest")
    if oldest is not None and oldest <= now - conf.pending_stale():
        reason = (
            f"Há notificações aguardando processamento há mais de {_minutes(now - oldest)} min."
        )
        return MarketplacePush(key, PushState.FAILING, reason, pending=waiting)
    if troubled >= conf.failing_min_notifications() and troubled >= received * conf.failing_share():
        reason = (
            f"{troubled} de {received} notificações em {window} min falharam ou não foram "
            "reconhecidas."
        )
        return MarketplacePush(key, PushState.FAILING, reason, pending=waiting)
    if received == 0:
        reason = f"Nenhuma notificação recebida nos últimos {window} min."
        return MarketplacePush(key, PushState.SILENT, reason, pending=waiting)
    reason = f"{received} notificações nos últimos {window} min."
    return MarketplacePush(key, PushState.HEALTHY, reason, pending=waiting)


def _minutes(span) -> int:
    return max(0, int(span.total_seconds() // 60))
