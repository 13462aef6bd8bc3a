"""The orders app's knobs (settings or environment, read at call time) and its task names."""

from datetime import timedelta

from hub.app_settings import AppSettings

IMPORT_TASK = "orders.import_integration"
IMPORT_SWEEP_TASK = "orders.import_sweep"

DEFAULTS = {
    # How often beat fans out one incremental import per Ativo integration.
    "ORDERS_IMPORT_INTERVAL_SECONDS": 300,
    # Each read starts this long before the newest "updated at" seen: a late write is not missed.
    "ORDERS_OVERLAP_MINUTES": 10,
    # How far back the first import of an integration reads (and the silence detector learns).
    "ORDERS_HISTORY_DAYS": 30,
    # At most this many pages per import run; the next run resumes from the watermark.
    "ORDERS_MAX_PAGES_PER_RUN": 200,
    # Fetch the next page (on a second thread) while this one is stored.
    "ORDERS_PREFETCH_NEXT_PAGE": True,
    # Silence: judged only with at least this many orders over at least this many days ...
    "ORDERS_SILENCE_MIN_ORDERS": 10,
    "ORDERS_SILENCE_MIN_HISTORY_DAYS": 3,
    # ... against this percentile of the gaps between orders, never less than the floor.
    "ORDERS_SILENCE_PERCENTILE": 95,
    "ORDERS_SILENCE_FLOOR_HOURS": 2.0,
    # Imports failing for longer than this: the seller's users are told (once per spell).
    "ORDERS_IMPORT_FAILING_ALERT_MINUTES": 30,
}


_SETTINGS = AppSettings(DEFAULTS)
_get = _SETTINGS.get


def import_interval_seconds() -> float:
    return float(_get("ORDERS_IMPORT_INTERVAL_SECONDS"))


def overlap() -> timedelta:
    return timedelta(minutes=max(0.0, float(_get("ORDERS_OVERLAP_MINUTES"))))


def history() -> timedelta:
    return timedelta(days=max(1.0, float(_get("ORDERS_HISTORY_DAYS"))))


def max_pages_per_run() -> int:
    return max(1, int(_get("ORDERS_MAX_PAGES_PER_RUN")))


def prefetch_next_page() -> bool:
    return bool(_get("ORDERS_PREFETCH_NEXT_PAGE"))


def silence_min_orders() -> int:
    return max(2, int(_get("ORDERS_SILENCE_MIN_ORDERS")))


def silence_min_history() -> timedelta:
    return timedelta(days=max(0.0, float(_get("ORDERS_SILENCE_MIN_HISTORY_DAYS"))))


def silence_percentile() -> float:
    return min(100.0, max(50.0, float(_get("ORDERS_SILENCE_PERCENTILE"))))


def silence_floor() -> timedelta:
    return timedelta(hours=max(0.0, float(_get("ORDERS_SILENCE_FLOOR_HOURS"))))


def import_failing_alert() -> timedelta:
    return timedelta(minutes=max(0.0, float(_get("ORDERS_IMPORT_FAILING_ALERT_MINUTES"))))
