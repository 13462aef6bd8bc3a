"""Development without Redis: Celery beat and a worker in one process.

``scripts/run-dev.sh`` starts this beside ``runserver`` when REDIS_URL is unset. It runs beat's
own schedule (``CELERY_BEAT_SCHEDULES``, the one Celery beat uses), each periodic
task inline when it is due. Ctrl-C (or SIGTERM) stops it.
"""

import contextlib
import logging
import signal
import threading
from datetime import timedelta

from celery import current_app as celery_app
from celery.schedules import schedule as every
from django.core.management.base import BaseCommand
from django.utils import timezone

from integrations import conf

logger = logging.getLogger(__name__)

# The dev server beside this process needs a moment before its stand-ins answer.
FIRST_RUN_DELAY_SECONDS = 10
# How each sweep's count is said on the console.
LABELS = {
    "integrations.refresh_sweep": "renovação(ões)",
    "integrations.health_check_sweep": "verificação(ões)",
    "orders.import_sweep": "importação(ões) de pedidos",
    "api.webhooks_sweep": "entrega(s) de webhook",
    "push.drain": "leitura(s) de notificação de pedido",
    "push.missed_feeds_sweep": "notificação(ões) perdida(s) recuperada(s)",
    "integrations.authorization_attempts_cleanup": "limpeza(s) de tentativas antigas",
    "sandbox.push_sweep": "entrega(s) de notificação dos simuladores",
}


class Command(BaseCommand):
    help = (
        "Sem Redis (desenvolvimento): roda neste processo as tarefas periódicas do Celery beat "
        "(renovação de tokens, verificação, importação de pedidos), cada uma na sua hora. "
        "Ctrl-C para parar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="cada tarefa uma vez e sai")

    def handle(self, *args, once: bool, **options):
        stop = threading.Event()
        previous_handler = self._stop_on_sigterm(stop)
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True  # the tasks run here, inline
        entries = self._entries(once=once)
        interval = conf.sweep_interval_seconds()
        if not once:
            self.stdout.write(
                f"Token keeper em processo: varredura a cada {interval:g} s (Ctrl-C para parar)."
            )
        try:
            while True:
                wait = interval
                for entry in entries:
                    # The loop ticks at the refresh sweep's own interval: it is due every tick.
                    due, next_in = entry["schedule"].is_due(entry["last_run_at"])
                    if due or entry["every_tick"]:
                        entry["last_run_at"] = timezone.now()
                        self._run(entry["task"], quiet=entry["quiet"])
                        due, next_in = entry["schedule"].is_due(entry["last_run_at"])
                    if next_in > 0:
                        wait = min(wait, next_in)  # wake for the next one due sooner
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

    @staticmethod
    def _entries(*, once: bool) -> list[dict]:
        """Beat's entries, the refresh sweep due at once, the others after the first delay
        (with --once: each interval task once, now)."""
        now = timezone.now()
        entries = []
        for entry in celery_app.conf.beat_schedule.values():
            period = entry["schedule"]
            if not isinstance(period, int | float):
                if once:
                    continue
                entries.append(
                    {
                        "task": entry["task"],
                        "schedule": period,
                        "last_run_at": now,
                        "every_tick": False,
                        "quiet": False,
                    }
                )
                continue
            first_in = (
                0
                if once or entry["task"] == "integrations.refresh_sweep"
                else (FIRST_RUN_DELAY_SECONDS)
            )
            last_run_at = now - timedelta(seconds=period) + timedelta(seconds=first_in)
            entries.append(
                {
                    "task": entry["task"],
                    "schedule": every(period),
                    "last_run_at": last_run_at,
                    "every_tick": entry["task"] == "integrations.refresh_sweep",
                    # A task more frequent than the tick speaks only when it did something.
                    "quiet": period < conf.sweep_interval_seconds(),
                }
            )
        return entries

    def _run(self, task_name: str, *, quiet: bool = False) -> None:
        try:
            outcome = celery_app.tasks[task_name].apply().get()
        except Exception:  # the loop outlives a bad sweep; the next one tries again
            logger.exception("integrations.keeper.sweep_failed", extra={"task": task_name})
            return
        numbers = [value for value in (outcome or {}).values() if isinstance(value, int)]
        count = numbers[0] if numbers else 0
        if quiet and not count:
            return
        label = LABELS.get(task_name, task_name)
        self.stdout.write(f"{timezone.localtime():%H:%M:%S} {count} {label} executada(s).")

    @staticmethod
    def _stop_on_sigterm(stop: threading.Event):
        """SIGTERM (run-dev.sh's trap) ends the loop cleanly; returns the handler it replaced."""
        # Outside the main thread (a test calling the command) only Ctrl-C stops it.
        with contextlib.suppress(ValueError):
            return signal.signal(signal.SIGTERM, lambda *_: stop.set())
        return None
