"""The words of each notice (pt-BR): title, what happened, what to do; shared by the in-app list
and the e-mail, so both say the same thing."""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from integrations.models import Integration
from integrations.notices.models import Cause
from marketplaces import PROVIDERS

REACTIVATE = "Reativar integração"
MARKETPLACES = "Ver Marketplaces"


@dataclass(frozen=True)
class Words:
    title: str
    paragraphs: tuple[str, ...]
    action_label: str
    action_path: str  # on this site; e-mails prefix SITE_URL


def reactivation_path(integration: Integration) -> str:
    path = reverse("integrations:reactivate_confirm", args=[integration.marketplace])
    return f"{path}?integracao={integration.pk}"


def _when(moment: datetime | None) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y às %H:%M}" if moment else ""


def _reactivate_how(integration: Integration) -> str:
    provider = PROVIDERS.get(integration.marketplace)
    if provider is None:
        return "Para reativar, use o botão abaixo e confirme com “Sim”."
    how = (
        f"Para reativar, use o botão abaixo, confirme com “Sim” e, {provider.in_screen}, "
        f"{provider.account_hint} ({integration.account_name})."
    )
    return f"{how} {provider.several_accounts_hint}".strip()


def _needs_reactivation(
    integration: Integration, title: str, what_happened: str, reason: tuple[str, ...]
) -> Words:
    """A notice the seller answers by reactivating: what happened, why, what it costs, how."""
    return Words(
        title,
        (
            what_happened,
            *reason,
            "Enquanto a integração não for reativada, novos pedidos deste marketplace podem não "
            "chegar ao hub.",
            _reactivate_how(integration),
        ),
        REACTIVATE,
        reactivation_path(integration),
    )


def words_for(
    *, integration: Integration, cause: str, details: str = "", since: datetime | None = None
) -> Words:
    """What to tell the seller's users about ``cause`` on ``integration``."""
    market, account = integration.marketplace_name, integration.account_name
    about = f"{market} · {account}"
    account_at = f"conta “{account}” no {market}"
    where = f"a {account_at}"
    marketplaces = reverse("integrations:marketplaces")
    reason = (f"Motivo: {details}",) if details else ()
    if cause == Cause.EXPIRED:
        return _needs_reactivation(
            integration,
            f"Token expirado: {about}",
            f"O token da integração com {where} ({integration.seller.name}) está expirado: "
            f"{integration.get_expiry_cause_display().lower() or 'é preciso reativar'}.",
            reason,
        )
    if cause == Cause.LOST_RENEWAL:
        return _needs_reactivation(
            integration,
            f"Renovação perdida: {about}",
            f"O {market} pode ter renovado o token da {account_at} sem que o hub recebesse a "
            "resposta. Isso não foi causado por você.",
            reason,
        )
    if cause == Cause.IMPORT_FAILING:
        return Words(
            f"Pedidos não estão sendo importados: {about}",
            (
                (f"Desde {_when(since)}, o" if since else "O")
                + f" hub não consegue importar os pedidos da {account_at}.",
                *reason,
                "O hub continua tentando automaticamente e avisa quando voltar a funcionar.",
            ),
            MARKETPLACES,
            marketplaces,
        )
    if cause == Cause.IMPORT_RECOVERED:
        return Words(
            f"Pedidos voltaram a ser importados: {about}",
            (
                f"A importação de pedidos da {account_at} voltou a funcionar"
                + (f" (falhava desde {_when(since)})." if since else ".")
                + " Nada precisa ser feito.",
            ),
            MARKETPLACES,
            marketplaces,
        )
    if cause == Cause.SILENCE:
        return Words(
            f"Sem pedidos novos: {about}",
            (
                f"Faz mais tempo que o normal que {where} não recebe pedidos novos.",
                *((details,) if details else ()),
                "Confira no marketplace se a loja está ativa e com anúncios publicados.",
            ),
            MARKETPLACES,
            marketplaces,
        )
    if cause == Cause.ORDERS_RESUMED:
        return Words(
            f"Pedidos voltaram a chegar: {about}",
            (f"Pedidos novos da {account_at} voltaram a chegar ao hub. Nada precisa ser feito.",),
            MARKETPLACES,
            marketplaces,
        )
    if cause == Cause.RECONNECTED:
        return Words(
            f"Integração reativada: {about}",
            (
                f"A integração com {where} foi reativada e o hub voltou a renovar o token "
                "automaticamente. Os pedidos voltam a ser importados.",
            ),
            MARKETPLACES,
            marketplaces,
        )
    if cause == Cause.AUTHORIZATION_ENDING:
        ends = integration.authorization_expires_at
        return Words(
            f"Autorização perto do fim: {about}",
            (
                f"A autorização que a {account_at} deu ao hub vale até "
                f"{timezone.localtime(ends):%d/%m/%Y} e não se renova sozinha."
                if ends
                else f"A autorização que a {account_at} deu ao hub está perto do fim.",
                "Depois dessa data o hub não consegue mais renovar o token e novos pedidos deste "
                "marketplace deixam de chegar. Autorize de novo antes disso: a integração "
                "continua ativa enquanto você faz isso.",
                _reactivate_how(integration),
            ),
            "Autorizar de novo",
            reactivation_path(integration),
        )
    raise ValueError(f"unknown notice cause: {cause!r}")
