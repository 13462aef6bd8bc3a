"""The browser-facing pages: consent request, sign-in, account choice and sign-out.

The stand-in is another site, so its pages are rendered without the hub's context processors.
It shares the session with the hub when both run on one host: it only ever touches its own
``sandbox.*`` keys and never flushes the session.
"""

import logging
import secrets
from urllib.parse import urlencode, urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import get_template
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrations.sandbox import conf, issuer
from integrations.sandbox.directory import (
    DEMO_PERSON_EMAIL,
    DEMO_PERSON_PASSWORD,
    DEMO_PERSON_UUID,
    DEMO_TENANTS,
    authenticate,
    tenant_by_uuid,
)

logger = logging.getLogger(__name__)

SESSION_PERSON = "sandbox.person"
SESSION_PENDING = "sandbox.pending"
_MAX_PENDING = 10


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    page = get_template(f"sandbox/{template}").render(
        {
            **context,
            "csrf_token": get_token(request),
            "signed_in": request.session.get(SESSION_PERSON) == DEMO_PERSON_UUID,
            "person_email": DEMO_PERSON_EMAIL,
            "demo_email": DEMO_PERSON_EMAIL,
            "demo_password": DEMO_PERSON_PASSWORD,
        }
    )
    return HttpResponse(page, status=status)


def _error_page(request: HttpRequest, title: str, message: str) -> HttpResponse:
    return _render(request, "error.html", {"title": title, "message": message}, status=400)


def _callback(redirect_uri: str, params: dict[str, str | None]) -> HttpResponseRedirect:
    if conf.send_iss():
        params = {**params, "iss": conf.issuer()}  # RFC 9207
    query = urlencode({key: value for key, value in params.items() if value is not None})
    separator = "&" if urlsplit(redirect_uri).query else "?"
    return HttpResponseRedirect(f"{redirect_uri}{separator}{query}")


def _error_callback(pending: dict, error: str, description: str) -> HttpResponseRedirect:
    """RFC 6749 §4.1.2.1: errors go back to the (already verified) redirect_uri with state."""
    return _callback(
        pending["redirect_uri"],
        {"error": error, "error_description": description, "state": pending["state"]},
    )


# --- Pending consent requests, kept in the session -----------------------------------------------


def _pending_requests(request: HttpRequest) -> dict:
    now = timezone.now().timestamp()
    ttl = conf.PENDING_REQUEST_TTL.total_seconds()
    pending = request.session.get(SESSION_PENDING) or {}
    return {rid: item for rid, item in pending.items() if now - item["created"] < ttl}


def _save_pending(request: HttpRequest, item: dict) -> str:
    rid = secrets.token_urlsafe(12)
    pending = _pending_requests(request)
    pending[rid] = item
    request.session[SESSION_PENDING] = dict(list(pending.items())[-_MAX_PENDING:])
    return rid


def _get_pending(request: HttpRequest, rid: str) -> dict | None:
    return _pending_requests(request).get(rid)


def _pop_pending(request: HttpRequest, rid: str) -> None:
    pending = _pending_requests(request)
    pending.pop(rid, None)
    request.session[SESSION_PENDING] = pending


def _expired_request_page(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        "Solicitação expirada",
        "Esta solicitação de acesso não existe mais ou expirou. "
        "Volte ao aplicativo e comece de novo.",
    )


def _signed_in(request: HttpRequest) -> bool:
    return request.session.get(SESSION_PERSON) == DEMO_PERSON_UUID


# --- Pages ---------------------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _render(request, "home.html", {})


def _validate_pkce(query) -> str | None:
    """An error description when the PKCE parameters are unacceptable, else None."""
    challenge = query.get("code_challenge")
    method = query.get("code_challenge_method")
    if challenge:
        # RFC 7636 §4.3: an absent method means "plain", which this server refuses.
        if method != "S256":
            return "code_challenge_method must be S256 (plain is not supported)."
        if not issuer.S256_CHALLENGE.fullmatch(challenge):
            return "code_challenge is not a valid S256 challenge."
        return None
    if method:
        return "code_challenge_method was sent without code_challenge."
    if conf.require_pkce():
        return "PKCE is required: send code_challenge and code_challenge_method=S256."
    return None


@require_GET
def authorize(request: HttpRequest) -> HttpResponse:
    """The consent entry point (``/login`` on ID Magalu)."""
    query = request.GET
    # RFC 6749 §4.1.2.1: with a bad client or redirect_uri, tell the user and do NOT redirect.
    if any(len(query.getlist(name)) > 1 for name in ("client_id", "redirect_uri")):
        return _error_page(
            request, "Solicitação inválida", "Parâmetros repetidos na solicitação de acesso."
        )
    if query.get("client_id") != conf.client_id():
        return _error_page(
            request,
            "Aplicativo desconhecido",
            "O client_id informado não corresponde a nenhum aplicativo cadastrado.",
        )
    if query.get("redirect_uri") != conf.redirect_uri():
        return _error_page(
            request,
            "Endereço de retorno inválido",
            "O redirect_uri informado não é o cadastrado para este aplicativo.",
        )
    pending = {
        "client_id": query["client_id"],
        "redirect_uri": query["redirect_uri"],
        "state": query.get("state"),  # None when absent: the callback then carries no state
        "scopes": query.get("scope", "").split() or conf.default_scopes(),
        "choose_tenants": query.get("choose_tenants") == "true",
        "code_challenge": query.get("code_challenge", ""),
        "created": timezone.now().timestamp(),
    }
    if query.get("response_type") != "code":
        return _error_callback(pending, "unsupported_response_type", "response_type must be code.")
    pkce_problem = _validate_pkce(query)
    if pkce_problem:
        return _error_callback(pending, "invalid_request", pkce_problem)
    rid = _save_pending(request, pending)
    target = "sandbox:choose" if _signed_in(request) else "sandbox:signin"
    return redirect(target, rid=rid)


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest, rid: str) -> HttpResponse:
    pending = _get_pending(request, rid)
    if pending is None:
        return _expired_request_page(request)
    if _signed_in(request):
        return redirect("sandbox:choose", rid=rid)
    context = {"rid": rid, "pending": pending, "email": ""}
    if request.method == "POST":
        email = request.POST.get("email", "")
        if authenticate(email, request.POST.get("password", "")):
            request.session.cycle_key()  # a new session id at sign-in (session fixation)
            request.session[SESSION_PERSON] = DEMO_PERSON_UUID
            logger.info("sandbox.person.signed_in")
            return redirect("sandbox:choose", rid=rid)
        context.update(email=email, error="E-mail ou senha inválidos.")
    return _render(request, "signin.html", context)


def _grant(request: HttpRequest, rid: str, pending: dict, tenant_uuid: str) -> HttpResponse:
    code = issuer.issue_code(
        client_id=pending["client_id"],
        redirect_uri=pending["redirect_uri"],
        tenant_uuid=tenant_uuid,
        scopes=pending["scopes"],
        code_challenge=pending["code_challenge"],
    )
    _pop_pending(request, rid)
    logger.info("sandbox.code.issued", extra={"tenant_uuid": tenant_uuid})
    return _callback(pending["redirect_uri"], {"code": code, "state": pending["state"]})


@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest, rid: str) -> HttpResponse:
    """The "Escolha a conta" page: which account (Pessoa Física or Jurídica) grants access."""
    pending = _get_pending(request, rid)
    if pending is None:
        return _expired_request_page(request)
    if not _signed_in(request):
        return redirect("sandbox:signin", rid=rid)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        _pop_pending(request, rid)
        return _error_callback(pending, "access_denied", "The user denied the request.")
    if not pending["choose_tenants"]:
        # choose_tenants=false: the consent applies to the natural person who signed in.
        return _grant(request, rid, pending, DEMO_PERSON_UUID)
    context = {"rid": rid, "pending": pending, "tenants": DEMO_TENANTS, "selected": ""}
    if request.method == "POST":
        tenant = tenant_by_uuid(request.POST.get("tenant"))
        if tenant is not None:
            return _grant(request, rid, pending, tenant.uuid)
        context["error"] = "Escolha uma conta para continuar."
    return _render(request, "choose.html", context)


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    """Sign the sandbox person out: only ``sandbox.*`` keys go, the hub's session stays intact.

    From a consent page the pending request survives, so the person can sign in again.
    """
    request.session.pop(SESSION_PERSON, None)
    logger.info("sandbox.person.signed_out")
    rid = request.POST.get("rid", "")
    if rid and _get_pending(request, rid) is not None:
        return redirect("sandbox:signin", rid=rid)
    for key in [key for key, _value in request.session.items() if key.startswith("sandbox.")]:
        del request.session[key]
    return redirect("sandbox:home")
