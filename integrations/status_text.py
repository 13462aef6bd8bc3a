"""An integration's state in one line, as the seller reads it on the Marketplaces page."""

from dataclasses import dataclass

from django.utils import timezone

from integrations.models import Integration

Cause = Integration.ExpiryCause


@dataclass(frozen=True)
class StatusNote:
    tone: str  # "ok" | "notice" (trouble the hub is handling) | "expired"
    text: str


def _hhmm(moment) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def status_note(integration: Integration) -> StatusNote:
    name = integration.marketplace_name
    if integration.is_active:
        if integration.last_error_at and integration.last_error:
            when = (
                f"nova tentativa às {_hhmm(integration.refresh_retry_at)}"
                if integration.refresh_retry_at and integration.refresh_retry_at > timezone.now()
                else "o hub tenta de novo em instantes"
            )
            return StatusNote("notice", f"Renovação com falha temporária, {when}")
        return StatusNote("ok", "Renovação automática")
    texts = {
        Cause.REVOKED: f"A autorização foi revogada ou venceu no {name}",
        Cause.LOST_ROTATION: (
            f"Renovação perdida: o {name} pode ter renovado o token sem que o hub recebesse "
            "(não foi você)"
        ),
        Cause.OPERATOR_LOGIN: "Foi conectada com um login de operador: use o do administrador",
        Cause.UNREADABLE: "O token guardado ficou ilegível (um problema do hub, não seu)",
        Cause.NO_REFRESH_TOKEN: f"O {name} não entregou um token de renovação",
        Cause.SUPPORT: "Marcada como expirada pela nossa equipe de suporte",
    }
    return StatusNote("expired", texts.get(integration.expiry_cause, "É preciso reativar"))
