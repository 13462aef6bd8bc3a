"""The stand-ins' notifications by hand: one sweep (queue what changed, send what is due), or a
loop of them; the topics of one stand-in off or on. Development only."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from marketplaces.sandbox import outbox, push_conf, push_sweep


class Command(BaseCommand):
    help = (
        "Simuladores: envia ao hub as notificações de pedidos devidas (uma vez, ou em laço com "
        "--loop); --topics off|on desliga ou religa as notificações de um simulador."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="repete até Ctrl-C")
        parser.add_argument(
            "--every", type=float, default=None, help="segundos entre varreduras (com --loop)"
        )
        parser.add_argument("--topics", choices=["on", "off"], help="liga ou desliga os tópicos")
        parser.add_argument("--marketplace", help="o simulador (com --topics)")

    def handle(self, *args, loop, every, topics, marketplace, **options):
        if topics:
            return self._switch(topics, marketplace)
        every = every if every is not None else push_conf.interval_seconds()
        try:
            while True:
                counts = push_sweep.sweep()
                self.stdout.write(
                    f"{timezone.localtime():%H:%M:%S} novas: {counts['queued']} · entregues: "
                    f"{counts['delivered']} · falhas: {counts['failed_attempts']} · "
                    f"retidas (tópicos desativados): {counts['suppressed']}"
                )
                if not loop:
                    return
                time.sleep(every)
        except KeyboardInterrupt:
            self.stdout.write("Parado.")

    def _switch(self, topics: str, marketplace: str | None) -> None:
        if marketplace not in push_conf.senders():
            raise CommandError(f"Informe --marketplace: um de {sorted(push_conf.senders())}.")
        outbox.set_topics(marketplace, enabled=topics == "on", reason="desativados pelo comando")
        state = "ligados" if topics == "on" else "desligados"
        self.stdout.write(f"Tópicos de {marketplace}: {state}.")
