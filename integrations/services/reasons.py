"""What the token keeper writes down, in pt-BR: the reasons a seller reads on the Marketplaces
page and in the e-mail, and the details support reads in the history. Never token material."""

from datetime import datetime

from django.utils import timezone

from hub.moments import hhmm
from marketplaces import OAuth2Provider, ProviderError, TemporarilyUnavailable

REACTIVATE = "Reative a integração para voltar a receber pedidos."


def revoked(name: str, error_code: str | None, status: int | None) -> str:
    code = error_code or (f"HTTP {status}" if status else "recusa")
    return (
        f"{name} recusou a renovação do token ({code}): a autorização foi revogada ou expirou. "
        f"{REACTIVATE}"
    )


def lost_rotation(name: str) -> str:
    return (
        f"Renovação perdida: {name} pode ter renovado o token sem que o hub recebesse a resposta, "
        "e o token guardado deixou de valer. Isso não foi causado por você nem pela sua conta. "
        f"{REACTIVATE}"
    )


def operator_login(provider: type[OAuth2Provider]) -> str:
    return f"{provider.operator_login_hint} {REACTIVATE}".strip()


def unreadable() -> str:
    return (
        "Não foi possível ler o token guardado desta integração (chave de criptografia trocada ou "
        f"dado corrompido). {REACTIVATE}"
    )


def no_refresh_token() -> str:
    return f"Não há token de renovação guardado para esta integração. {REACTIVATE}"


def transient(name: str, exc: TemporarilyUnavailable) -> str:
    detail = f"HTTP {exc.status}" if exc.status else "sem resposta a tempo"
    return (
        f"Não foi possível renovar o token agora: {name} não respondeu ({detail}). "
        "O hub tentará de novo automaticamente; a integração continua ativa."
    )


def unknown_outcome(name: str, exc: TemporarilyUnavailable, retry_from: datetime | None) -> str:
    """History detail of a refresh that ended with no definite answer."""
    then = f"a partir das {hhmm(retry_from)}" if retry_from else "em seguida"
    return (
        f"{exc} — sem resposta definitiva: {name} pode ter renovado o token. "
        f"Nova tentativa {then}; a renovação seguinte será conferida."
    )


def answered_in_doubt(name: str, exc: TemporarilyUnavailable) -> str:
    """History detail of a refresh the server answered with an error that does not say whether
    it renewed the token first."""
    return (
        f"{exc} — {name} respondeu com erro e pode ter renovado o token antes de falhar. "
        "Nova tentativa em seguida: ela mostra se o token guardado ainda vale."
    )


def interrupted(of_name: str) -> str:
    """``of_name``: the marketplace with its article, as its provider words it ("do X")."""
    return (
        f"Uma renovação anterior foi interrompida antes de a resposta {of_name} ser guardada; "
        "o token pode ter sido renovado sem que o hub soubesse. A próxima renovação será conferida."
    )


def refreshed(expires_at: datetime, verify_after: datetime | None) -> str:
    text = f"novo token válido até {timezone.localtime(expires_at):%d/%m/%Y %H:%M}"
    if verify_after is not None:
        text += f"; depois de uma resposta perdida, será conferido às {hhmm(verify_after)}"
    return text


def misconfigured() -> str:
    return (
        "Não foi possível renovar o token por um erro de configuração do hub (não é um problema "
        "da sua conta). Nossa equipe foi avisada."
    )


def misconfigured_details(marketplace: str, exc: Exception) -> str:
    if isinstance(exc, ProviderError):
        return str(exc)
    return f"marketplace não registrado: {marketplace}"
