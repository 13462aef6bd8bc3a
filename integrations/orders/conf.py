"""The orders app's knobs (settings or environment, read at call time) and its task names."""

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


import_interval_seconds = _SETTINGS.reader("ORDERS_IMPORT_INTERVAL_SECONDS", float)
overlap = _SETTINGS.reader("ORDERS_OVERLAP_MINUTES", float, low=0.0, unit="minutes")
history = _SETTINGS.reader("ORDERS_HISTORY_DAYS", float, low=1.0, unit="days")
max_pages_per_run = _SETTINGS.reader("ORDERS_MAX_PAGES_PER_RUN", int, low=1)
prefetch_next_page = _SETTINGS.reader("ORDERS_PREFETCH_NEXT_PAGE", bool)
silence_min_orders = _SETTINGS.reader("ORDERS_SILENCE_MIN_ORDERS", int, low=2)
silence_min_history = _SETTINGS.reader(
    "ORDERS_SILENCE_MIN_HISTORY_DAYS", float, low=0.0, unit="days"
)
silence_percentile = _SETTINGS.reader("ORDERS_SILENCE_PERCENTILE", float, low=50.0, high=100.0)
silence_floor = _SETTINGS.reader("ORDERS_SILENCE_FLOOR_HOURS", float, low=0.0, unit="hours")
import_failing_alert = _SETTINGS.reader(
    "ORDERS_IMPORT_FAILING_ALERT_MINUTES", float, low=0.0, unit="minutes"
)
