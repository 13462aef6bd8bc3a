"""The browser side every stand-in shares: pending consent requests kept in the session, the
redirect back to the client, and the PKCE checks of the consent request.

A stand-in is another site: it only ever touches its own ``sandbox.<name>.*`` session keys and
never flushes the session, which it shares with the hub when both run on one host.
"""

import secrets
from urllib.parse import urlencode, urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import get_template
from django.utils import timezone

from marketplaces.sandbox.tokens import S256_CHALLENGE

# How long a pending consent request may wait in the browser session.
PENDING_REQUEST_TTL_SECONDS = 30 * 60
_MAX_PENDING = 10


class PendingRequests:
    """Consent requests waiting for the person to sign in and choose, by random request id."""

    def __init__(self, stand_in: str):
        self.key = f"sandbox.{stand_in}.pending"

    def _alive(self, request: HttpRequest) -> dict:
        now = timezone.now().timestamp()
        pending = request.session.get(self.key) or {}
        return {
            rid: item
            for rid, item in pending.items()
            if now - item["created"] < PENDING_REQUEST_TTL_SECONDS
        }

    def save(self, request: HttpRequest, item: dict) -> str:
        rid = secrets.token_urlsafe(12)
        pending = self._alive(request)
        pending[rid] = {**item, "created": timezone.now().timestamp()}
        request.session[self.key] = dict(list(pending.items())[-_MAX_PENDING:])
        return rid

    def get(self, request: HttpRequest, rid: str) -> dict | None:
        return self._alive(request).get(rid)

    def pop(self, request: HttpRequest, rid: str) -> None:
        pending = self._alive(request)
        pending.pop(rid, None)
        request.session[self.key] = pending


def callback_redirect(
    redirect_uri: str, params: dict[str, str | None], *, issuer: str | None = None
) -> HttpResponseRedirect:
    """Back to the client with ``params`` (and ``iss`` per RFC 9207 when given)."""
    if issuer:
        params = {**params, "iss": issuer}
    query = urlencode({key: value for key, value in params.items() if value is not None})
    separator = "&" if urlsplit(redirect_uri).query else "?"
    return HttpResponseRedirect(f"{redirect_uri}{separator}{query}")


def error_callback(
    pending: dict, error: str, description: str, *, issuer: str | None = None
) -> HttpResponseRedirect:
    """RFC 6749 §4.1.2.1: errors go back to the (already verified) redirect_uri with state."""
    return callback_redirect(
        pending["redirect_uri"],
        {"error": error, "error_description": description, "state": pending["state"]},
        issuer=issuer,
    )


def pkce_problem(query, *, required: bool) -> str | None:
    """An error description when the PKCE parameters are unacceptable, else None."""
    challenge = query.get("code_challenge")
    method = query.get("code_challenge_method")
    if challenge:
        # RFC 7636 §4.3: an absent method means "plain", which these servers refuse.
        if method != "S256":
            return "code_challenge_method must be S256 (plain is not supported)."
        if not S256_CHALLENGE.fullmatch(challenge):
            return "code_challenge is not a valid S256 challenge."
        return None
    if method:
        return "code_challenge_method was sent without code_challenge."
    if required:
        return "PKCE is required: send code_challenge and code_challenge_method=S256."
    return None


def client_problem(query, *, client_id: str, redirect_uri: str) -> tuple[str, str] | None:
    """(title, message) when the client or its redirect_uri is wrong: shown, never redirected
    to (RFC 6749 §4.1.2.1)."""
    if any(len(query.getlist(name)) > 1 for name in ("client_id", "redirect_uri")):
        return "Solicitação inválida", "Parâmetros repetidos na solicitação de acesso."
    if query.get("client_id") != client_id:
        return (
            "Aplicativo desconhecido",
            "O client_id informado não corresponde a nenhum aplicativo cadastrado.",
        )
    if query.get("redirect_uri") != redirect_uri:
        return (
            "Endereço de retorno inválido",
            "O redirect_uri informado não é o cadastrado para este aplicativo.",
        )
    return None


def error_page(
    request: HttpRequest, title: str, message: str, *, base_template: str
) -> HttpResponse:
    """A consent request refused outright: shown in the stand-in's own look, never redirected."""
    page = get_template("sandbox/error.html").render(
        {"title": title, "message": message, "base_template": base_template}
    )
    return HttpResponse(page, status=400)


def authorization_request(
    request: HttpRequest,
    *,
    client_id: str,
    redirect_uri: str,
    require_pkce: bool,
    issuer: str | None,
    base_template: str,
) -> tuple[dict | None, HttpResponse | None]:
    """A consent request checked as RFC 6749 §4.1.1 and RFC 7636 say: (what to keep pending,
    None) when it can go on, else (None, the answer: an error page or an error redirect)."""
    query = request.GET
    problem = client_problem(query, client_id=client_id, redirect_uri=redirect_uri)
    if problem is not None:
        return None, error_page(request, *problem, base_template=base_template)
    pending = {
        "client_id": query["client_id"],
        "redirect_uri": query["redirect_uri"],
        "state": query.get("state"),  # None when absent: the callback then carries no state
        "code_challenge": query.get("code_challenge", ""),
    }
    if query.get("response_type") != "code":
        refusal = ("unsupported_response_type", "response_type must be code.")
        return None, error_callback(pending, *refusal, issuer=issuer)
    if problem := pkce_problem(query, required=require_pkce):
        return None, error_callback(pending, "invalid_request", problem, issuer=issuer)
    return pending, None
