"""What the seller is told when an authorization ends: one pt-BR text per outcome.

The words come from the marketplace's provider (its login screen, what it calls an account,
its hints), so nothing here names a marketplace.
"""

from dataclasses import dataclass
from operator import attrgetter

from integrations.account_health import Step, sign_out_step, support_link, support_url
from integrations.models import AuthorizationAttempt
from marketplaces import AccountKind, ChosenAccount, OAuth2Provider, provider_class

Outcome = AuthorizationAttempt.Outcome

_NOTHING_CHANGED = "Nada foi alterado na sua integração."

_STATE_PROBLEMS = {
    "malformed": "O retorno do marketplace veio com parâmetros repetidos ou grandes demais.",
    "missing": "O retorno do marketplace chegou sem o identificador da autorização.",
    "unknown": "Não reconhecemos esta autorização.",
    "other_session": "Esta autorização foi iniciada em outra sessão ou navegador.",
    "reused": "Esta autorização já foi processada.",
    "expired": "A autorização expirou: volte e comece de novo.",
}


@dataclass(frozen=True)
class AuthorizationResult:
    """The end of one callback, ready to show. ``attempt`` is None when the state was not ours."""

    outcome: str
    title: str
    text: str
    level: str  # "success" | "warning" | "error"
    attempt: AuthorizationAttempt | None = None
    state_problem: str = ""
    # The way out, besides "Tentar novamente": signing out of the marketplace, support.
    steps: tuple[Step, ...] = ()

    @property
    def succeeded(self) -> bool:
        return self.outcome == Outcome.SUCCESS

    @property
    def offers_retry(self) -> bool:
        """A failed attempt of ours, unless the integration it was about is fine anyway."""
        return self.attempt is not None and not self.succeeded and self.level != "info"

    @property
    def retry_integration_id(self) -> int | None:
        return self.attempt.integration_id if self.offers_retry else None

    @property
    def marketplace(self) -> str:
        return self.attempt.marketplace if self.attempt else ""


def chosen_label(account: ChosenAccount | None, attempt: AuthorizationAttempt | None) -> str:
    """The chosen account as the marketplace showed it: its name, else its id."""
    if account is not None and account.name:
        return account.name
    if attempt is not None and attempt.chosen_account_name:
        return attempt.chosen_account_name
    external_id = (account.external_id if account else "") or (
        attempt.chosen_external_id if attempt else ""
    )
    return f"conta {external_id}" if external_id else "a conta escolhida"


def result_for(
    outcome: str,
    *,
    attempt: AuthorizationAttempt | None = None,
    account: ChosenAccount | None = None,
    reason: str = "",
) -> AuthorizationResult:
    if attempt is None or outcome == Outcome.EXPIRED_STATE:
        return _state_problem(reason, attempt)
    provider = provider_class(attempt.marketplace)
    texts = _texts(outcome, provider, attempt, account, reason)
    steps = _ways_out(outcome, provider, attempt)
    return AuthorizationResult(outcome, *texts, attempt, steps=steps)


# Refusals the seller fixes with another login (or another choice on the login screen).
_ANOTHER_ACCOUNT = frozenset({Outcome.WRONG_TENANT, Outcome.ACCOUNT_REFUSED})
# Refusals only support can settle.
_ASK_SUPPORT = frozenset({Outcome.ACCOUNT_UNVERIFIED, Outcome.OTHER_SELLER, Outcome.PROVIDER_ERROR})


def _ways_out(
    outcome: str, provider: type[OAuth2Provider], attempt: AuthorizationAttempt
) -> tuple[Step, ...]:
    steps = []
    if outcome == Outcome.OPERATOR_LOGIN or (
        outcome in _ANOTHER_ACCOUNT and provider.account_switch_needs_sign_out
    ):
        sign_out = sign_out_step(provider, attempt.marketplace)
        if sign_out is not None:
            steps.append(sign_out)
    if outcome in _ASK_SUPPORT:
        if attempt.integration is not None:
            steps.append(Step("Fale com o suporte", support_url(attempt.integration)))
        else:
            reference = f"tentativa {attempt.pk} ({provider.display_name})"
            link = support_link(subject=f"Conexão {provider.display_name}", reference=reference)
            steps.append(Step("Fale com o suporte", link))
    return tuple(steps)


# Refusals the marketplace's provider explains in its own words: (title, its hint).
_PROVIDER_HINTS = {
    Outcome.OPERATOR_LOGIN: (
        "Entre com o login do administrador",
        attrgetter("operator_login_hint"),
    ),
    Outcome.UNSUPPORTED: (
        "Autorize de outra forma",
        attrgetter("unsupported_authorization_hint"),
    ),
}


def _texts(
    outcome: str,
    provider: type[OAuth2Provider],
    attempt: AuthorizationAttempt,
    account: ChosenAccount | None,
    reason: str,
) -> tuple[str, str, str]:
    """(title, text, level) of an attempt that reached the marketplace."""
    name = provider.display_name
    chosen = chosen_label(account, attempt)
    expected = attempt.integration.account_name if attempt.integration else ""
    if outcome == Outcome.SUCCESS:
        if reason == "renewed":
            return (
                "Pronto!",
                f"Pronto! Seu token {provider.possessive_name} foi atualizado com sucesso. "
                f"Conta: {chosen}.",
                "success",
            )
        return "Pronto!", f"Pronto! {name} conectado: {chosen}.", "success"
    if outcome == Outcome.WRONG_TENANT:
        return (
            f"{provider.account_noun[0].upper()}{provider.account_noun[1:]} diferente da "
            "integração",
            f"Você escolheu “{chosen}” {provider.in_screen}, mas esta integração é da conta "
            f"“{expected}”. "
            f"{_NOTHING_CHANGED} Tente novamente e escolha “{expected}”. "
            f"{provider.several_accounts_hint}".strip(),
            "warning",
        )
    if outcome == Outcome.ACCOUNT_REFUSED:
        return _refused_kind(provider, chosen, account, attempt)
    if outcome == Outcome.ACCOUNT_UNVERIFIED:
        return (
            "Não conseguimos confirmar o tipo da conta",
            f"Não reconhecemos o tipo da conta escolhida {provider.in_screen} (“{chosen}”). "
            f"{_NOTHING_CHANGED} Por segurança, nossa equipe de suporte vai verificar a conta: "
            "fale com o suporte pelo botão abaixo ou aguarde o contato.",
            "warning",
        )
    if outcome in _PROVIDER_HINTS:
        title, hint = _PROVIDER_HINTS[outcome]
        return title, f"{hint(provider)} {_NOTHING_CHANGED}".strip(), "warning"
    if outcome == Outcome.OTHER_SELLER:
        return (
            "Conta já conectada a outra empresa",
            f"A conta “{chosen}” já está conectada a outra empresa no hub. {_NOTHING_CHANGED} "
            "Fale com o suporte pelo botão abaixo.",
            "error",
        )
    if outcome == Outcome.CANCELLED:
        return (
            "Autorização cancelada",
            f"A autorização {provider.in_screen} foi cancelada. {_NOTHING_CHANGED} "
            "Quando quiser, tente novamente.",
            "warning",
        )
    return (
        f"Não foi possível falar com {provider.the_name}",
        f"{_capital(provider.the_name)} não concluiu a autorização agora. {_NOTHING_CHANGED} "
        "Tente novamente em alguns minutos.",
        "error",
    )


def refusal_reason(
    outcome: str, *, attempt: AuthorizationAttempt, account: ChosenAccount | None = None
) -> str:
    """Why a trip to the marketplace changed nothing, in one plain pt-BR clause for the
    history (the seller's and support's): "foi escolhida a conta “X”, e esta integração é da …"."""
    provider = provider_class(attempt.marketplace)
    chosen = chosen_label(account, attempt)
    expected = attempt.integration.account_name if attempt.integration else ""
    reasons = {
        Outcome.WRONG_TENANT: (
            f"foi escolhida a conta “{chosen}”, e esta integração é da conta “{expected}”"
        ),
        Outcome.ACCOUNT_REFUSED: f"a conta escolhida (“{chosen}”) "
        + _refused_kind_clause(provider, account, attempt),
        Outcome.ACCOUNT_UNVERIFIED: (
            f"não reconhecemos o tipo da conta escolhida (“{chosen}”); o suporte vai verificar"
        ),
        Outcome.OPERATOR_LOGIN: (
            f"o login usado {provider.in_screen} é de um operador, não do administrador"
        ),
        Outcome.OTHER_SELLER: f"a conta “{chosen}” já está conectada a outra empresa no hub",
        Outcome.CANCELLED: f"a autorização foi cancelada {provider.in_screen}",
        Outcome.UNSUPPORTED: f"a autorização {provider.in_screen} veio numa forma que o "
        "hub não aceita",
    }
    return reasons.get(outcome, f"{provider.the_name} não concluiu a autorização")


def _refused_kind_clause(
    provider: type[OAuth2Provider],
    account: ChosenAccount | None,
    attempt: AuthorizationAttempt,
) -> str:
    try:
        kind = AccountKind(account.kind if account else attempt.chosen_account_kind)
    except ValueError:
        kind = AccountKind.UNKNOWN
    raw = account.kind_raw if account else attempt.chosen_account_type
    if kind in provider.accepted_account_kinds:  # an accepted kind without seller access
        return "não tem acesso de seller"
    return f"é uma {provider.account_kind_name(kind, raw)}"


def _refused_kind(
    provider: type[OAuth2Provider],
    chosen: str,
    account: ChosenAccount | None,
    attempt: AuthorizationAttempt,
) -> tuple[str, str, str]:
    what = _refused_kind_clause(provider, account, attempt)
    return (
        f"Escolha a {provider.account_noun} certa",
        f"A conta escolhida (“{chosen}”) {what}. {_NOTHING_CHANGED} {provider.refused_kind_hint}",
        "warning",
    )


def _state_problem(reason: str, attempt: AuthorizationAttempt | None) -> AuthorizationResult:
    problem = _STATE_PROBLEMS.get(reason or "expired", _STATE_PROBLEMS["expired"])
    known = attempt if reason in ("", "expired", "reused") else None
    integration = known.integration if known is not None else None
    if integration is not None and integration.is_active:
        # A replayed or stale return (a reloaded tab, the back button): alarming the seller
        # about an integration that works would be wrong.
        return AuthorizationResult(
            Outcome.EXPIRED_STATE,
            "Nada mudou",
            f"{problem} A integração {integration.marketplace_name} "
            f"“{integration.account_name}” continua ativa.",
            "info",
            known,
            state_problem=reason or "expired",
        )
    return AuthorizationResult(
        Outcome.EXPIRED_STATE,
        "Autorização inválida ou expirada",
        f"{problem} {_NOTHING_CHANGED} Volte para Marketplaces e comece de novo.",
        "error",
        known,
        state_problem=reason or "expired",
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
