"""The integrations list's filters; conditions shared with the overview (selectors_support)."""

from collections.abc import Callable
from datetime import datetime

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from integrations.models import AuthorizationAttempt, IntegrationEvent
from integrations.selectors_support import (
    expiring_soon_q,
    overdue_q,
    recent_error_q,
    recent_event_q,
    silent_orders_q,
)
from integrations.selectors_trouble import import_failing_q, import_ok_q
from marketplaces import marketplace_choices


class ConditionFilter(admin.SimpleListFilter):
    """A filter whose every choice is a condition: ``conditions`` maps the choice's value in the
    URL to its label and its Q, built from the moment of the request."""

    conditions: dict[str, tuple[str, Callable[[datetime], Q]]]

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _condition) in self.conditions.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.conditions:
            return queryset
        _label, condition = self.conditions[self.value()]
        return queryset.filter(condition(timezone.now()))


class MarketplaceFilter(admin.SimpleListFilter):
    """Choices from the provider registry: no SELECT DISTINCT over every integration."""

    title = "marketplace"
    parameter_name = "marketplace"

    def lookups(self, request, model_admin):
        return marketplace_choices()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(marketplace=self.value())
        return queryset


class TokenExpiryFilter(ConditionFilter):
    title = "expiração do token"
    parameter_name = "expira"
    NEXT_HOUR = "proxima-hora"
    OVERDUE = "vencido"
    conditions = {
        NEXT_HOUR: ("Expira na próxima hora", lambda now: expiring_soon_q(now=now)),
        OVERDUE: ("Já vencido (ainda Ativo)", lambda now: overdue_q(now=now)),
    }


class RecentErrorFilter(ConditionFilter):
    title = "erro recente"
    parameter_name = "erro_24h"
    YES = "sim"
    conditions = {YES: ("Com erro nas últimas 24 h", lambda now: recent_error_q(now=now))}


class RecentEventFilter(admin.SimpleListFilter):
    title = "evento nas últimas 24 h"
    parameter_name = "evento_24h"
    KINDS = (IntegrationEvent.Kind.REFRESH_FAILED, IntegrationEvent.Kind.EXPIRED)

    def lookups(self, request, model_admin):
        return [(kind.value, kind.label) for kind in self.KINDS]

    def queryset(self, request, queryset):
        if self.value() in self.KINDS:
            return queryset.filter(recent_event_q(kind=self.value(), now=timezone.now()))
        return queryset


class SilentOrdersFilter(ConditionFilter):
    title = "pedidos"
    parameter_name = "pedidos"
    SILENT = "sem-pedidos-novos"
    conditions = {SILENT: ("Sem pedidos novos (token válido)", lambda now: silent_orders_q())}


class OrderImportFilter(ConditionFilter):
    """Ativo integrations whose order imports fail (the health's "Falha ao importar pedidos"),
    or not; the failing ones are few, read through pulse_import_failing_idx."""

    title = "importação de pedidos"
    parameter_name = "importacao"
    FAILING = "falhando"
    OK = "normal"
    conditions = {
        FAILING: ("Falhando (Ativo)", lambda now: import_failing_q()),
        OK: ("Sem falha (Ativo)", lambda now: import_ok_q()),
    }


class AttemptOutcomeFilter(admin.SimpleListFilter):
    """The attempts' outcomes, "Em andamento" only while the attempt is still valid, "Expirada"
    also for the pending ones past their validity (AuthorizationAttempt.current_outcome)."""

    title = "resultado"
    parameter_name = "resultado"

    def lookups(self, request, model_admin):
        return AuthorizationAttempt.Outcome.choices

    def queryset(self, request, queryset):
        Outcome = AuthorizationAttempt.Outcome
        value = self.value()
        if value not in Outcome.values:
            return queryset
        now = timezone.now()
        if value == Outcome.PENDING:
            return queryset.filter(outcome=Outcome.PENDING, expires_at__gt=now)
        if value == Outcome.EXPIRED_STATE:
            return queryset.filter(
                Q(outcome=Outcome.EXPIRED_STATE) | Q(outcome=Outcome.PENDING, expires_at__lte=now)
            )
        return queryset.filter(outcome=value)
