"""One health per integration, from all the evidence the hub has: the token, the last imports and
the silence. The seller page, the history and the admin say it with these words.

Green ("active") means the account works end to end: the token renews and the orders arrive.
"""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hub.moments import hhmm
from hub.templatetags.hub import ago
from integrations.models import Integration
from integrations.orders import conf as orders_conf
from integrations.orders.models import OrderPulse
from marketplaces import logout_url

Cause = Integration.ExpiryCause


class State:
    """From most to least urgent: the order trouble comes first on every list."""

    EXPIRED = "expired"
    IMPORT_FAILING = "import_failing"
    AUTHORIZATION_ENDING = "authorization_ending"
    SILENT = "silent"
    RENEWAL_RETRYING = "renewal_retrying"
    OK = "ok"
    DISCONNECTED = "disconnected"


ORDER = [
    State.EXPIRED,
    State.IMPORT_FAILING,
    State.AUTHORIZATION_ENDING,
    State.SILENT,
    State.RENEWAL_RETRYING,
    State.OK,
    State.DISCONNECTED,
]


@dataclass(frozen=True)
class Step:
    """A next step: a link (GET) or, with ``post``, a button in a form with CSRF."""

    label: str
    url: str
    primary: bool = False
    post: bool = False
    external: bool = False  # another site: opens in a new tab


@dataclass(frozen=True)
class Health:
    state: str
    tone: str  # "active" (green) | "notice" (trouble the hub handles) | "expired" | "off" (grey)
    label: str  # the badge: Ativo, Token Expirado, Desconectada
    line: str  # why, in one sentence
    orders_line: str = ""  # the last import, when there is one to tell
    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def rank(self) -> int:
        return ORDER.index(self.state)


def support_url(integration: Integration | None = None) -> str:
    """``SUPPORT_URL``, carrying the integration's reference so support finds it at once."""
    if integration is None:
        return settings.SUPPORT_URL
    return support_link(
        subject=f"Integração {integration.marketplace_name} · {integration.account_name}",
        reference=str(integration.public_id),
    )


def support_link(*, subject: str, reference: str) -> str:
    """``SUPPORT_URL`` with a reference: a mailto: gets a subject and body (RFC 6068), a web
    page a ``referencia`` parameter."""
    base = settings.SUPPORT_URL
    separator = "&" if "?" in base else "?"
    if base.startswith("mailto:"):
        body = quote(f"Referência: {reference}")
        return f"{base}{separator}subject={quote(subject)}&body={body}"
    return f"{base}{separator}{urlencode({'referencia': reference})}"


def sign_out_step(provider, marketplace: str) -> Step | None:
    """ "Sair da conta no <login screen>": the marketplace's page to sign out, in a new tab."""
    url = logout_url(marketplace)
    if not url:
        return None
    return Step(f"Sair da conta {provider.in_screen}", url, external=True)


def reactivate_url(integration: Integration) -> str:
    path = reverse("integrations:reactivate_confirm", args=[integration.marketplace])
    return f"{path}?integracao={integration.pk}"


def health_of(integration: Integration, pulse: OrderPulse | None = None) -> Health:
    if integration.is_disconnected:
        return _disconnected(integration)
    if not integration.is_active:
        return _expired(integration)
    orders_line = _orders_line(pulse)
    if pulse is not None and pulse.import_failing_since is not None:
        return _import_failing(integration, pulse)
    if authorization_ending(integration):
        return _authorization_ending(integration, orders_line)
    if pulse is not None and pulse.silent_since is not None:
        return Health(
            State.SILENT,
            "notice",
            "Ativo",
            f"Sem pedidos novos {ago(pulse.silent_since)}. O token está válido: confira "
            f"{marketplace_words(integration)[1]} se a conta está ativa e se os anúncios estão "
            "publicados e com estoque.",
            orders_line,
            (
                Step("Ver pedidos desta conta", _orders_url(integration)),
                Step("Fale com o suporte", support_url(integration), external=True),
            ),
        )
    if integration.last_error_at and integration.last_error:
        retry = integration.refresh_retry_at
        when = (
            f"nova tentativa às {hhmm(retry)}"
            if retry and retry > timezone.now()
            else "o hub tenta de novo em instantes"
        )
        return Health(
            State.RENEWAL_RETRYING,
            "notice",
            "Ativo",
            f"Renovação com falha temporária, {when}",
            orders_line,
        )
    return Health(
        State.OK, "active", "Ativo", f"Renovação automática{_valid_until(integration)}", orders_line
    )


def authorization_ending(integration: Integration) -> bool:
    """Whether the authorization's own end is within its marketplace's warning window."""
    ends, provider = integration.authorization_expires_at, integration.provider
    if ends is None or provider is None:
        return False
    return ends <= timezone.now() + provider.authorization_end_warning


def _day(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y}"


def _valid_until(integration: Integration) -> str:
    ends = integration.authorization_expires_at
    return f" · Autorização válida até {_day(ends)}" if ends else ""


def _authorization_ending(integration: Integration, orders_line: str) -> Health:
    ends = integration.authorization_expires_at
    when = "venceu em" if ends <= timezone.now() else "vence em"
    return Health(
        State.AUTHORIZATION_ENDING,
        "notice",
        "Ativo",
        f"A autorização {when} {_day(ends)} e não se renova sozinha: autorize de novo antes "
        "disso para os pedidos continuarem chegando",
        orders_line,
        (Step("Autorizar de novo", reactivate_url(integration), primary=True),),
    )


def _disconnected(integration: Integration) -> Health:
    return Health(
        State.DISCONNECTED,
        "off",
        Integration.Status.DISCONNECTED.label,
        "Desconectada: o hub não guarda tokens desta conta nem lê os pedidos dela.",
        steps=(
            Step("Reconectar", reactivate_url(integration)),
            Step(
                "Remover da lista",
                reverse("integrations:remove_from_list", args=[integration.pk]),
                post=True,
            ),
        ),
    )


def marketplace_words(integration: Integration) -> tuple[str, str]:
    """("o X", "no X"): the marketplace's name with its article (its provider says which); a
    marketplace no longer registered is named by its key."""
    provider = integration.provider
    if provider is not None:
        return provider.the_name, provider.in_name
    return f"o {integration.marketplace}", f"no {integration.marketplace}"


def expiry_line(integration: Integration) -> str:
    the_name, in_name = marketplace_words(integration)
    texts = {
        Cause.REVOKED: f"A autorização foi revogada ou venceu {in_name}",
        Cause.LOST_ROTATION: (
            f"Renovação perdida: {the_name} pode ter renovado o token sem que o hub recebesse "
            "(não foi você)"
        ),
        Cause.OPERATOR_LOGIN: "Foi conectada com um login de operador: use o do administrador",
        Cause.UNREADABLE: "O token guardado ficou ilegível (um problema do hub, não seu)",
        Cause.NO_REFRESH_TOKEN: (
            f"{the_name[:1].upper()}{the_name[1:]} não entregou um token de renovação"
        ),
        Cause.SUPPORT: "Marcada como expirada pela nossa equipe de suporte",
    }
    return texts.get(integration.expiry_cause, "É preciso reativar")


def _expired(integration: Integration) -> Health:
    steps = [Step("Reativar", reactivate_url(integration), primary=True)]
    provider = integration.provider
    if integration.expiry_cause == Cause.OPERATOR_LOGIN and provider:
        sign_out = sign_out_step(provider, integration.marketplace)
        if sign_out is not None:
            steps.insert(0, sign_out)
    if integration.expiry_cause in (Cause.UNREADABLE, Cause.SUPPORT):
        steps.append(Step("Fale com o suporte", support_url(integration), external=True))
    return Health(
        State.EXPIRED,
        "expired",
        Integration.Status.EXPIRED.label,
        expiry_line(integration),
        steps=tuple(steps),
    )


def _import_failing(integration: Integration, pulse: OrderPulse) -> Health:
    since = hhmm(pulse.import_failing_since)
    reason = pulse.last_import_error.rstrip(".") or "sem detalhes"
    if pulse.last_import_failure == OrderPulse.Failure.REFUSED:
        next_step = "Nossa equipe foi avisada e está verificando."
    else:
        minutes = round(orders_conf.import_interval_seconds() / 60)
        next_step = f"O hub tenta de novo automaticamente a cada {minutes} minutos."
    return Health(
        State.IMPORT_FAILING,
        "notice",
        "Ativo",
        f"Falha ao importar pedidos desde {since}: {reason}. {next_step}",
        steps=(Step("Fale com o suporte", support_url(integration), external=True),),
    )


def _orders_line(pulse: OrderPulse | None) -> str:
    if pulse is None or pulse.last_import_at is None:
        return "Primeira importação de pedidos em andamento"
    new = pulse.last_import_new_orders
    count = {0: "nenhum pedido novo", 1: "1 pedido novo"}.get(new, f"{new} pedidos novos")
    return f"Última importação {hhmm(pulse.last_import_at)} · {count}"


def _orders_url(integration: Integration) -> str:
    return f"{reverse('orders:list')}?{urlencode({'conta': integration.pk})}"
