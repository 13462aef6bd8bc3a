"""Operators: run token refreshes now, synchronously, with a progress bar and a summary."""

import logging
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from integrations import conf
from integrations.models import Integration
from integrations.selectors import integrations_due_per_marketplace
from integrations.services.refresh import TOKEN_EXPIRADO, RefreshOutcome, integration_refresh
from marketplaces import TemporarilyUnavailable

logger = logging.getLogger(__name__)

RENEWED, NOT_DUE, EXPIRED, FAILED = "renovados", "não vencidos", "expirados", "falhas"
_BUCKETS = {
    RefreshOutcome.REFRESHED: RENEWED,
    RefreshOutcome.NOT_DUE: NOT_DUE,
    RefreshOutcome.ALREADY_REFRESHED: NOT_DUE,
    RefreshOutcome.BUSY: NOT_DUE,
    RefreshOutcome.NOT_ACTIVE: NOT_DUE,
    RefreshOutcome.SUPERSEDED: NOT_DUE,
    RefreshOutcome.MISCONFIGURED: FAILED,
    **dict.fromkeys(TOKEN_EXPIRADO, EXPIRED),
}


class Command(BaseCommand):
    help = (
        "Renova tokens agora, de forma síncrona: --integration ID (renova mesmo fora da janela; "
        "pode repetir) ou --all-due (todas as integrações Ativas cujo token vence dentro da "
        "janela de renovação do seu marketplace)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--integration",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="id da integração a renovar agora (pode repetir)",
        )
        parser.add_argument(
            "--all-due", action="store_true", help="renova todas as integrações que vencem logo"
        )

    def handle(self, *args, integration: list[int], all_due: bool, verbosity: int, **options):
        if not integration and not all_due:
            raise CommandError("Informe --integration ID ou --all-due.")
        missing = set(integration) - set(
            Integration.objects.filter(pk__in=integration).values_list("pk", flat=True)
        )
        if missing:
            raise CommandError(
                f"Integração não encontrada: {', '.join(map(str, sorted(missing)))}."
            )
        # An operator naming an integration wants it renewed now; --all-due renews only what is due.
        jobs = [(pk, True) for pk in integration]
        if all_due:
            seen = set(integration)
            batches = integrations_due_per_marketplace(batch_size=conf.sweep_batch_size())
            jobs += [(pk, False) for _key, ids in batches for pk in ids if pk not in seen]

        counts: Counter[str] = Counter({RENEWED: 0, NOT_DUE: 0, EXPIRED: 0, FAILED: 0})
        failures: list[str] = []
        progress = tqdm(
            jobs,
            total=len(jobs),
            unit=" integração",
            desc="Renovando tokens",
            file=self.stderr._out,
            disable=verbosity == 0,
        )
        for pk, force in progress:
            bucket, detail = self._refresh(pk, force=force)
            counts[bucket] += 1
            if bucket in (FAILED, EXPIRED):
                failures.append(f"  integração {pk}: {detail}")
        progress.close()

        for line in failures:
            self.stdout.write(line)
        summary = " · ".join(
            f"{name}: {counts[name]}" for name in (RENEWED, NOT_DUE, EXPIRED, FAILED)
        )
        style = self.style.ERROR if counts[FAILED] else self.style.SUCCESS
        self.stdout.write(style(f"{len(jobs)} integração(ões) — {summary}"))
        if counts[FAILED]:
            raise CommandError(f"{counts[FAILED]} renovação(ões) falharam; veja o histórico.")

    def _refresh(self, pk: int, *, force: bool) -> tuple[str, str]:
        try:
            result = integration_refresh(integration_id=pk, force=force)
        except Integration.DoesNotExist:
            return NOT_DUE, "removida"
        except TemporarilyUnavailable as exc:
            return FAILED, f"indisponível agora ({exc.status or 'sem resposta'}); continua Ativa"
        except Exception as exc:  # one bad row must not stop the others
            logger.exception("integrations.refresh.command_failed", extra={"integration_id": pk})
            return FAILED, f"erro inesperado ({type(exc).__name__})"
        return _BUCKETS[result.outcome], str(result.outcome)
