"""What the seller is told when an authorization ends: one pt-BR text per outcome."""

from dataclasses import dataclass

from integrations.models import AuthorizationAttempt
from integrations.providers import marketplace_name, marketplace_short_name
from integrations.providers.base import ChosenTenant

Outcome = AuthorizationAttempt.Outcome

_SUPPORT = "Se sua conta possuir mais de uma Pessoa Jurídica, contate o nosso suporte."
_NOTHING_CHANGED = "Nada foi alterado na sua integração."

_STATE_PROBLEMS = {
    "malformed": "O retorno do marketplace veio com parâmetros repetidos ou grandes demais.",
    "missing": "O retorno do marketplace chegou sem o identificador da autorização.",
    "unknown": "Não reconhecemos esta autorização.",
    "other_session": "Esta autorização foi iniciada em outra sessão ou navegador.",
    "reused": "Esta autorização já foi processada.",
    "expired": "A autorização expirou: ela vale por 10 minutos.",
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

    @property
    def succeeded(self) -> bool:
        return self.outcome == Outcome.SUCCESS

    @property
    def retry_integration_id(self) -> int | None:
        return self.attempt.integration_id if self.attempt and not self.succeeded else None

    @property
    def marketplace(self) -> str:
        return self.attempt.marketplace if self.attempt else ""


def result_for(
    outcome: str,
    *,
    attempt: AuthorizationAttempt | None = None,
    tenant: ChosenTenant | None = None,
    reason: str = "",
) -> AuthorizationResult:
    name = marketplace_name(attempt.marketplace) if attempt else "marketplace"
    chosen = (tenant.legal_name if tenant else "") or "uma conta sem nome"
    expected = attempt.integration.account_name if attempt and attempt.integration else ""

    if outcome == Outcome.SUCCESS:
        if reason == "renewed":
            short = marketplace_short_name(attempt.marketplace)
            text = f"Pronto! Seu token {short} foi atualizado com sucesso."
        else:
            text = f"Pronto! {name} conectado: {chosen}."
        return AuthorizationResult(outcome, "Pronto!", text, "success", attempt)
    if outcome == Outcome.WRONG_TENANT:
        return AuthorizationResult(
            outcome,
            "Pessoa Jurídica diferente da integração",
            f"Você escolheu “{chosen}” no ID Magalu, mas esta integração é da conta “{expected}”. "
            f"{_NOTHING_CHANGED} Tente novamente e escolha “{expected}”. {_SUPPORT}",
            "warning",
            attempt,
        )
    if outcome == Outcome.NATURAL_PERSON:
        return AuthorizationResult(
            outcome,
            "Escolha a Pessoa Jurídica da loja",
            f"A conta escolhida (“{chosen}”) é uma Pessoa Física ou não tem acesso de seller. "
            f"{_NOTHING_CHANGED} Entre com o acesso Master da loja e escolha a opção "
            "“Pessoa Jurídica”.",
            "warning",
            attempt,
        )
    if outcome == Outcome.OTHER_SELLER:
        return AuthorizationResult(
            outcome,
            "Conta já conectada a outra empresa",
            f"A conta “{chosen}” já está conectada a outra empresa no hub. {_NOTHING_CHANGED} "
            "Contate o nosso suporte.",
            "error",
            attempt,
        )
    if outcome == Outcome.CANCELLED:
        return AuthorizationResult(
            outcome,
            "Autorização cancelada",
            f"A autorização no {name} foi cancelada. {_NOTHING_CHANGED} "
            "Quando quiser, tente novamente.",
            "warning",
            attempt,
        )
    if outcome == Outcome.PROVIDER_ERROR:
        return AuthorizationResult(
            outcome,
            f"Não foi possível falar com o {name}",
            f"O {name} não concluiu a autorização agora. {_NOTHING_CHANGED} "
            "Tente novamente em alguns minutos.",
            "error",
            attempt,
        )
    problem = _STATE_PROBLEMS.get(reason or "expired", _STATE_PROBLEMS["expired"])
    return AuthorizationResult(
        Outcome.EXPIRED_STATE,
        "Autorização inválida ou expirada",
        f"{problem} {_NOTHING_CHANGED} Volte para Marketplaces e comece de novo.",
        "error",
        attempt if reason in ("", "expired", "reused") else None,
        state_problem=reason or "expired",
    )
