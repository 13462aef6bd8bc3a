"""Development without Redis: the token keeper's (and the orders import's) beat and worker in
one process.

``scripts/run-dev.sh`` starts this beside ``runserver`` when REDIS_URL is unset. Every
INTEGRATIONS_SWEEP_INTERVAL_SECONDS it runs the refresh sweep with Celery tasks run inline, and
the health check every INTEGRATIONS_HEALTH_CHECK_INTERVAL_SECONDS. Ctrl-C (or SIGTERM) stops it.
"""

import contextlib
import logging
import signal
import threading
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from hub.celery import app as celery_app
from integrations import conf
from integrations.orders import conf as orders_conf
from integrations.orders.services.sweep import orders_import_sweep
from integrations.services.sweep import health_check_sweep, refresh_sweep

logger = logging.getLogger(__name__)

FIRST_ORDERS_DELAY_SECONDS = 10


class Command(BaseCommand):
    help = (
        "Sem Redis (desenvolvimento): roda a varredura de renovação de tokens neste processo a "
        "cada INTEGRATIONS_SWEEP_INTERVAL_SECONDS segundos. Ctrl-C para parar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="uma varredura e sai")

    def handle(self, *args, once: bool, **options):
        stop = threading.Event()
        previous_handler = self._stop_on_sigterm(stop)
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True  # refreshes run here, inline
        interval = conf.sweep_interval_seconds()
        next_health = time.monotonic() + conf.health_check_interval_seconds()
        # Orders soon after start (the dev server beside it needs a moment to answer): a demo
        # shows them within seconds, not after the first full interval.
        next_orders = time.monotonic() + (0 if once else FIRST_ORDERS_DELAY_SECONDS)
        if not once:
            self.stdout.write(
                f"Token keeper em processo: varredura a cada {interval:g} s (Ctrl-C para parar)."
            )
        try:
            while True:
                self._run("refresh", refresh_sweep)
                if not once and time.monotonic() >= next_health:
                    self._run("health", health_check_sweep)
                    next_health = time.monotonic() + conf.health_check_interval_seconds()
                if time.monotonic() >= next_orders:
                    self._run("orders", orders_import_sweep)
                    next_orders = time.monotonic() + orders_conf.import_interval_seconds()
                wait = min(interval, max(0.5, next_orders - time.monotonic()))
                if once or stop.wait(wait):
                    break
        except KeyboardInterrupt:
            pass
        finally:
            celery_app.conf.task_always_eager = eager
            if previous_handler is not None:
                signal.signal(signal.SIGTERM, previous_handler)
        if not once:
            self.stdout.write("Token keeper parado.")

    def _run(self, name: str, sweep) -> None:
        try:
            count = sweep()
        except Exception:  # the loop outlives a bad sweep; the next one tries again
            logger.exception("integrations.keeper.sweep_failed", extra={"sweep": name})
            return
        label = {"refresh": "renovação(ões)", "health": "verificação(ões)"}.get(
            name, "importação(ões) de pedidos"
        )
        self.stdout.write(f"{timezone.localtime():%H:%M:%S} {count} {label} executada(s).")

    @staticmethod
    def _stop_on_sigterm(stop: threading.Event):
        """SIGTERM (run-dev.sh's trap) ends the loop cleanly; returns the handler it replaced."""
        # Outside the main thread (a test calling the command) only Ctrl-C stops it.
        with contextlib.suppress(ValueError):
            return signal.signal(signal.SIGTERM, lambda *_: stop.set())
        return None
