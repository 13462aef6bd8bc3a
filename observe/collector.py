"""The Prometheus collector: every value computed from PostgreSQL and Redis at scrape time.

No process keeps state of its own, so any web process can answer a scrape for the whole
deployment, however many gunicorn and Celery processes run on however many machines (a custom
collector, https://prometheus.github.io/client_python/collector/custom/). Refresh outcomes come
from the durable history (``IntegrationEvent``), counted over the last ``METRICS_WINDOW_SECONDS``
through its ``created_at`` index: a gauge of recent outcomes, not an ever-growing count of a table
that grows without end.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Case, CharField, Count, F, Min, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from integrations import conf
from integrations.models import Integration, IntegrationEvent
from integrations.services.lease import lease_ttl
from marketplaces import PROVIDERS, ProviderMisconfigured, get_provider
from observe.heartbeat import beat_heartbeat_age
from observe.mail import emails_sent_count
from observe.redis_client import redis_client

Kind = IntegrationEvent.Kind
DEFAULT_WINDOW_SECONDS = 3600

# A refresh_failed event's cause, from its details (integrations/services/reasons.py writes them).
_FAILED_CAUSE = Case(
    When(details__contains="sem resposta definitiva", then=Value("unknown_outcome")),
    When(details__contains="HTTP 429", then=Value("rate_limited")),
    When(details__regex=r"HTTP 5[0-9][0-9]", then=Value("server_error")),
    default=Value("other"),
    output_field=CharField(),
)
_CAUSE = Case(
    When(kind=Kind.REFRESHED, then=Value("none")),
    When(kind=Kind.REFRESH_FAILED, then=_FAILED_CAUSE),
    When(kind=Kind.REFRESH_LOST, then=Value(Integration.ExpiryCause.LOST_ROTATION.value)),
    When(kind=Kind.TOKEN_UNREADABLE, then=Value(Integration.ExpiryCause.UNREADABLE.value)),
    default=Coalesce(F("integration__expiry_cause"), Value("")),
    output_field=CharField(),
)
_OUTCOME = {
    Kind.REFRESHED: "refreshed",
    Kind.REFRESH_FAILED: "failed",
    Kind.EXPIRED: "expired",
    Kind.REFRESH_LOST: "expired",
    Kind.TOKEN_UNREADABLE: "expired",
}


def window_seconds() -> int:
    return int(getattr(settings, "METRICS_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS))


def queue_names() -> list[str]:
    from celery import current_app as app

    return sorted({conf.task_queue() or app.conf.task_default_queue, app.conf.task_default_queue})


class HubCollector:
    """Registered on a registry of its own for each scrape (see ``observe.views``)."""

    def collect(self):
        now = timezone.now()
        yield from self._integrations()
        yield from self._refresh_outcomes(now)
        yield from self._leases(now)
        yield self._due_lateness(now)
        yield from self._imports(now)
        yield from self._redis()

    def _integrations(self):
        gauge = GaugeMetricFamily(
            "hub_integrations",
            "Integrations by marketplace and status.",
            labels=["marketplace", "status"],
        )
        rows = Integration.objects.values_list("marketplace", "status").annotate(n=Count("pk"))
        for marketplace, status, count in rows.order_by():
            gauge.add_metric([marketplace, status], count)
        yield gauge

    def _refresh_outcomes(self, now):
        window = window_seconds()
        yield GaugeMetricFamily(
            "hub_metrics_window_seconds", "The window of the *_recent metrics.", value=window
        )
        gauge = GaugeMetricFamily(
            "hub_refresh_outcomes_recent",
            "Token refreshes that ended in the last hub_metrics_window_seconds, from the history.",
            labels=["marketplace", "outcome", "cause"],
        )
        rows = (
            IntegrationEvent.objects.filter(
                created_at__gte=now - timedelta(seconds=window), kind__in=list(_OUTCOME)
            )
            .values_list("integration__marketplace", "kind")
            .annotate(cause=_CAUSE, n=Count("pk"))
            .values_list("integration__marketplace", "kind", "cause", "n")
            .order_by()
        )
        totals: dict[tuple[str, str, str], int] = {}
        for marketplace, kind, cause, count in rows:
            key = (marketplace, _OUTCOME[kind], cause or "unknown")
            totals[key] = totals.get(key, 0) + count
        for labels, count in sorted(totals.items()):
            gauge.add_metric(list(labels), count)
        yield gauge

    def _leases(self, now):
        held = GaugeMetricFamily(
            "hub_refresh_leases_held",
            "Refresh leases on integrations: live (a request in flight) or stale (holder died).",
            labels=["marketplace", "state"],
        )
        oldest = GaugeMetricFamily(
            "hub_refresh_lease_oldest_age_seconds",
            "Age of the oldest refresh lease still on an integration.",
            labels=["marketplace"],
        )
        rows = (
            Integration.objects.filter(refresh_lease_id__isnull=False)
            .values("marketplace")
            .annotate(
                live=Count("pk", filter=Q(refresh_lease_expires_at__gt=now)),
                stale=Count("pk", filter=Q(refresh_lease_expires_at__lte=now)),
                first_expiry=Min("refresh_lease_expires_at"),
            )
            .order_by()
        )
        for row in rows:
            held.add_metric([row["marketplace"], "live"], row["live"])
            held.add_metric([row["marketplace"], "stale"], row["stale"])
            taken_at = row["first_expiry"] - _lease_ttl(row["marketplace"])
            oldest.add_metric([row["marketplace"]], max(0.0, (now - taken_at).total_seconds()))
        yield held
        yield oldest

    def _due_lateness(self, now):
        gauge = GaugeMetricFamily(
            "hub_refresh_oldest_due_lateness_seconds",
            "How long the longest-waiting Ativo integration has been due for its refresh "
            "(0 when none is due).",
            labels=["marketplace"],
        )
        for key, provider_class in PROVIDERS.items():
            window = conf.refresh_window(provider_class.access_token_lifetime)
            soonest = Integration.objects.filter(
                marketplace=key, status=Integration.Status.ACTIVE
            ).aggregate(soonest=Min("access_token_expires_at"))["soonest"]
            lateness = (now - (soonest - window)).total_seconds() if soonest else 0.0
            gauge.add_metric([key], max(0.0, lateness))
        return gauge

    def _imports(self, now):
        lag = GaugeMetricFamily(
            "hub_orders_import_lag_seconds",
            "Since the least recent orders import of an Ativo integration (since it was created "
            "when it was never imported).",
            labels=["marketplace"],
        )
        failing = GaugeMetricFamily(
            "hub_orders_import_failing",
            "Ativo integrations whose last orders import ended with an error.",
            labels=["marketplace"],
        )
        rows = (
            Integration.objects.filter(status=Integration.Status.ACTIVE)
            .values("marketplace")
            .annotate(
                oldest=Min(Coalesce("order_pulse__last_import_at", "created_at")),
                failing=Count("pk", filter=~Q(order_pulse__last_import_error="")),
            )
            .order_by()
        )
        for row in rows:
            lag.add_metric([row["marketplace"]], max(0.0, (now - row["oldest"]).total_seconds()))
            failing.add_metric([row["marketplace"]], row["failing"])
        yield lag
        yield failing

    def _redis(self):
        up = GaugeMetricFamily("hub_redis_up", "1 when Redis answered this scrape.")
        queue = GaugeMetricFamily(
            "hub_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        beat = GaugeMetricFamily(
            "hub_beat_heartbeat_age_seconds",
            "Since beat last published the refresh sweep (absent: never, or no Redis).",
        )
        emails = CounterMetricFamily(
            "hub_emails_sent", "E-mails sent by every hub process (reset when Redis restarts)."
        )
        client = redis_client()
        try:
            if client is not None:
                for name in queue_names():
                    queue.add_metric([name], client.llen(name))
                age = beat_heartbeat_age()
                if age is not None:
                    beat.add_metric([], age)
            emails.add_metric([], emails_sent_count())
            up.add_metric([], 1 if client is not None else 0)
        except Exception:  # Redis down: say so; the PostgreSQL metrics above still stand
            up.add_metric([], 0)
        yield from (up, queue, beat, emails)


def _lease_ttl(marketplace: str) -> timedelta:
    try:
        return lease_ttl(get_provider(marketplace))
    except (ProviderMisconfigured, KeyError):
        return timedelta(seconds=conf.refresh_lease_margin_seconds())
