"""The silence of an account that usually sells: noticed before the seller does.

Each integration's usual gap between orders is learnt from its own last 30 days (a high
percentile of the inter-arrival times, never less than a floor), and only with enough history to
judge. Silent beyond it, the token is probed with one cheap call: a live token gives the seller a
"Sem pedidos novos" hint and support a filter; a dead one takes the keeper's expiry path.
"""

import itertools
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from integrations.models import Integration, IntegrationEvent
from integrations.orders import conf
from integrations.orders.models import Order, OrderPulse
from integrations.services.access import AccessTokenUnavailable, get_access_token
from integrations.services.events import event_record
from integrations.services.notifications import notify_orders_resumed, notify_silence
from integrations.services.refresh import TOKEN_EXPIRADO, integration_refresh
from marketplaces import AccessTokenRejected, ProviderError, get_provider

logger = logging.getLogger(__name__)

Kind = IntegrationEvent.Kind


class SilenceOutcome(StrEnum):
    NOT_ENOUGH_HISTORY = "not_enough_history"
    SELLING = "selling"  # within its usual gap
    SILENT = "silent"  # beyond it, token fine: flagged (now or before)
    TOKEN_DEAD = "token_dead"  # noqa: S105 (an outcome) the probe found it dead: Token Expirado
    UNCERTAIN = "uncertain"  # the probe could not tell now: asked again next time
    NOT_ACTIVE = "not_active"


@dataclass(frozen=True)
class UsualGap:
    gap: timedelta
    orders: int


def usual_gap(created: list[datetime]) -> UsualGap | None:
    """The integration's usual gap from its orders' creation times; None without enough history."""
    created = sorted(created)
    if len(created) < conf.silence_min_orders():
        return None
    if created[-1] - created[0] < conf.silence_min_history():
        return None
    gaps = sorted((b - a).total_seconds() for a, b in itertools.pairwise(created))
    # Nearest-rank percentile: the gap that this share of the gaps does not exceed.
    rank = max(1, math.ceil(conf.silence_percentile() / 100 * len(gaps)))
    gap = max(timedelta(seconds=gaps[rank - 1]), conf.silence_floor())
    return UsualGap(gap, len(created))


def integration_silence_check(
    *, integration_id: int, now: datetime | None = None
) -> SilenceOutcome:
    now = now or timezone.now()
    integration = Integration.objects.filter(pk=integration_id).first()
    pulse = OrderPulse.objects.filter(pk=integration_id).first()
    if integration is None or pulse is None or not integration.is_active:
        return SilenceOutcome.NOT_ACTIVE
    created = list(
        Order.objects.filter(integration_id=integration_id, created_at__gte=now - conf.history())
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    usual = usual_gap(created)
    changes = {
        "usual_gap_seconds": int(usual.gap.total_seconds()) if usual else None,
        "silence_checked_at": now,
    }
    last = pulse.last_order_at or (created[-1] if created else None)
    if pulse.silent_since is not None and last is not None and last > pulse.silent_since:
        # Orders came after the flagged silence: that one is over, whatever follows is judged anew.
        _end_silence(integration, pulse)
        pulse.silent_since = None
    if usual is None or last is None or now - last <= usual.gap:
        OrderPulse.objects.filter(pk=integration_id).update(**changes)
        if pulse.silent_since is not None:
            _end_silence(integration, pulse)
        return SilenceOutcome.NOT_ENOUGH_HISTORY if usual is None else SilenceOutcome.SELLING
    OrderPulse.objects.filter(pk=integration_id).update(**changes)
    if pulse.silent_since is not None:
        return SilenceOutcome.SILENT  # already flagged: the seller and support see it
    probed = _probe(integration)
    if probed is not SilenceOutcome.SILENT:
        return probed
    _flag(integration, last=last, usual=usual, now=now)
    return SilenceOutcome.SILENT


def _probe(integration: Integration) -> SilenceOutcome:
    """One cheap authenticated call: is the token behind the silence alive?"""
    try:
        get_provider(integration.marketplace).check_access_token(
            access_token=get_access_token(integration), account_id=integration.external_id
        )
    except AccessTokenRejected:
        result = integration_refresh(integration_id=integration.pk, force=True)
        return (
            SilenceOutcome.TOKEN_DEAD
            if result.outcome in TOKEN_EXPIRADO
            else SilenceOutcome.UNCERTAIN
        )
    except (AccessTokenUnavailable, ProviderError):
        if not Integration.objects.filter(
            pk=integration.pk, status=Integration.Status.ACTIVE
        ).exists():
            return SilenceOutcome.TOKEN_DEAD
        return SilenceOutcome.UNCERTAIN
    return SilenceOutcome.SILENT


def _flag(integration: Integration, *, last: datetime, usual: UsualGap, now: datetime) -> None:
    hours = int((now - last).total_seconds() // 3600)
    usual_hours = max(1, round(usual.gap.total_seconds() / 3600))
    with transaction.atomic():
        flagged = OrderPulse.objects.filter(pk=integration.pk, silent_since__isnull=True).update(
            silent_since=last
        )
        if flagged:
            details = (
                f"Sem pedidos novos há {hours} h (o usual desta conta é até {usual_hours} h); "
                "o token foi conferido e está válido."
            )
            event_record(integration=integration, kind=Kind.ORDERS_SILENT, details=details)
            notify_silence(integration=integration, details=details)
    logger.warning("orders.silence.flagged", extra={"integration_id": integration.pk})


def _end_silence(integration: Integration, pulse: OrderPulse) -> None:
    with transaction.atomic():
        ended = OrderPulse.objects.filter(pk=pulse.pk, silent_since__isnull=False).update(
            silent_since=None
        )
        if ended:
            event_record(
                integration=integration, kind=Kind.ORDERS_RESUMED, details="pedidos novos chegaram"
            )
            notify_orders_resumed(integration=integration)
    logger.info("orders.silence.ended", extra={"integration_id": integration.pk})
