"""The support list's trouble-first order, the health order of account_health.ORDER: Token
Expirado, imports failing, silence, the other Ativo ones, Desconectada last.

Ordering a million integrations by a CASE over the integration and its order pulse would sort
the whole join for every page. The order is therefore also given as segments, each a plain
filter read in ``SEGMENT_ORDERING``: the status ones through integration_due_idx (status,
access_token_expires_at, -id), the failing and silent ones through the pulse's partial indexes
(pulse_import_failing_idx, pulse_silent_idx). A page is the segments' rows, in turn
(integrations/admin/paginator.py); ``trouble_rank`` orders the same rows in one expression, for
a whole list at once ("Mostrar tudo") and for the tests that compare the two.
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When

from integrations.models import Integration
from integrations.orders.models import OrderPulse

Status = Integration.Status

# Inside each segment: what integration_due_idx reads in order for a status.
SEGMENT_ORDERING = ("access_token_expires_at", "-id")


def import_failing_q() -> Q:
    """Ativo and its order imports failing (the health's "Falha ao importar pedidos desde")."""
    return Q(status=Status.ACTIVE, order_pulse__import_failing_since__isnull=False)


def import_ok_q() -> Q:
    """Ativo and its order imports not failing (or not yet run)."""
    return Q(status=Status.ACTIVE, order_pulse__import_failing_since__isnull=True)


def _silent_not_failing_q() -> Q:
    return import_ok_q() & Q(order_pulse__silent_since__isnull=False)


def _in_trouble_pulses():
    """The pulses failing or silent: few, found through their partial indexes."""
    return OrderPulse.objects.filter(
        Q(import_failing_since__isnull=False) | Q(silent_since__isnull=False)
    ).values("integration_id")


def _quiet_q() -> Q:
    # NOT IN a small set rather than a join: PostgreSQL keeps reading integration_due_idx in
    # order and checks each row against a hash of the few in trouble.
    return Q(status=Status.ACTIVE) & ~Q(pk__in=_in_trouble_pulses())


@dataclass(frozen=True)
class Segment:
    condition: Q
    # Found through the pulse's partial indexes and sorted (a few rows), rather than read in
    # order from integration_due_idx.
    few: bool = False


def trouble_segments() -> tuple[Segment, ...]:
    """The order's segments, most urgent first; every integration is in exactly one."""
    return (
        Segment(Q(status=Status.EXPIRED)),
        Segment(import_failing_q(), few=True),
        Segment(_silent_not_failing_q(), few=True),
        Segment(_quiet_q()),
        Segment(Q(status=Status.DISCONNECTED)),
    )


def trouble_rank() -> Case:
    """The segment an integration is in (0 most urgent), as one expression (each WHEN is
    reached only by the rows the earlier ones left)."""
    return Case(
        When(status=Status.EXPIRED, then=Value(0)),
        When(import_failing_q(), then=Value(1)),
        When(status=Status.ACTIVE, order_pulse__silent_since__isnull=False, then=Value(2)),
        When(status=Status.ACTIVE, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def trouble_first_ordering() -> list:
    return [trouble_rank().asc(), *SEGMENT_ORDERING]
