"""The support overview: every number links to the integrations list filtered to exactly it."""

from urllib.parse import urlencode

from django.urls import reverse

from hub.admin_site import when
from integrations.admin.filters import (
    RecentErrorFilter,
    RecentEventFilter,
    SilentOrdersFilter,
    TokenExpiryFilter,
)
from integrations.models import Integration, IntegrationEvent
from integrations.selectors_support import RECENT_WINDOW, SupportOverview
from marketplaces import marketplace_name

Status = Integration.Status
Kind = IntegrationEvent.Kind


_STATUS_TONES = {Status.ACTIVE: "ok", Status.EXPIRED: "warn", Status.DISCONNECTED: "neutral"}


def changelist_url(model_name: str = "integration", **params) -> str:
    url = reverse(f"admin:integrations_{model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _status_params(status: str) -> dict:
    return {"status__exact": status}


def overview_context(overview: SupportOverview) -> dict:
    statuses = [(value, label) for value, label in Status.choices]
    return {
        "generated_at": when(overview.generated_at),
        "statuses": [{"label": label, "tone": _STATUS_TONES[value]} for value, label in statuses],
        "status_totals": [
            {
                "count": overview.by_status.get(value, 0),
                "url": changelist_url(**_status_params(value)),
            }
            for value, _ in statuses
        ],
        "total": {"count": overview.total, "url": changelist_url()},
        "marketplace_rows": [
            {
                "name": marketplace_name(row.marketplace),
                "total": {
                    "count": row.total,
                    "url": changelist_url(marketplace=row.marketplace),
                },
                "cells": [
                    {
                        "count": row.counts[value],
                        "url": changelist_url(marketplace=row.marketplace, **_status_params(value)),
                    }
                    for value, _ in statuses
                ],
            }
            for row in overview.by_marketplace
        ],
        "attention": [
            {
                "label": "Expiram na próxima hora (Ativo)",
                "count": overview.expiring_next_hour,
                "url": changelist_url(
                    **{TokenExpiryFilter.parameter_name: TokenExpiryFilter.NEXT_HOUR}
                ),
            },
            {
                "label": "Token já vencido e ainda Ativo (renovador atrasado)",
                "count": overview.overdue,
                "url": changelist_url(
                    **{TokenExpiryFilter.parameter_name: TokenExpiryFilter.OVERDUE}
                ),
            },
            {
                "label": "Com erro nas últimas 24 h",
                "count": overview.errors_24h,
                "url": changelist_url(**{RecentErrorFilter.parameter_name: RecentErrorFilter.YES}),
            },
            {
                "label": "Sem pedidos novos há mais tempo que o usual (token válido)",
                "count": overview.silent_orders,
                "url": changelist_url(
                    **{SilentOrdersFilter.parameter_name: SilentOrdersFilter.SILENT}
                ),
            },
        ],
        "recent": [
            {
                "label": label,
                "events": overview.recent[kind].events,
                "integrations": overview.recent[kind].integrations,
                "url": changelist_url(**{RecentEventFilter.parameter_name: kind.value}),
                "events_url": changelist_url(
                    "integrationevent",
                    kind__exact=kind.value,
                    created_at__gte=(overview.generated_at - RECENT_WINDOW).isoformat(),
                ),
            }
            for kind, label in (
                (Kind.REFRESH_FAILED, "Falhas de renovação nas últimas 24 h"),
                (Kind.EXPIRED, "Expirações nas últimas 24 h"),
            )
        ],
    }
