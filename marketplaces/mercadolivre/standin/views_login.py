"""Mercado Livre's browser-facing pages: the authorization request, sign-in, the consent
("Permitir") and sign-out. The login is the account: the seller picks it by signing in with it."""

import logging

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import get_template
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplaces.mercadolivre.standin import conf
from marketplaces.mercadolivre.standin.directory import (
    DEMO_PASSWORD,
    DEMO_USERS,
    authenticate,
    user_by_id,
)
from marketplaces.sandbox import consent, tokens

logger = logging.getLogger(__name__)

SESSION_USER = "sandbox.mercadolivre.user"
BASE_TEMPLATE = "sandbox/mercadolivre/base.html"
pending_requests = consent.PendingRequests(conf.KEY)


def _signed_in_user(request: HttpRequest):
    return user_by_id(request.session.get(SESSION_USER))


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    page = get_template(f"sandbox/mercadolivre/{template}").render(
        {
            **context,
            "csrf_token": get_token(request),
            "user": _signed_in_user(request),
            "demo_users": DEMO_USERS,
            "demo_password": DEMO_PASSWORD,
        }
    )
    return HttpResponse(page, status=status)


def _error_page(request: HttpRequest, title: str, message: str) -> HttpResponse:
    return consent.error_page(request, title, message, base_template=BASE_TEMPLATE)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _render(request, "home.html", {})


@require_GET
def authorize(request: HttpRequest) -> HttpResponse:
    """``GET /authorization`` on auth.mercadolivre.com.br."""
    pending, refusal = consent.authorization_request(
        request,
        client_id=conf.client_id(),
        redirect_uri=conf.redirect_uri(),
        require_pkce=conf.require_pkce(),
        issuer=None,  # Mercado Livre sends no iss (RFC 9207)
        base_template=BASE_TEMPLATE,
    )
    if refusal is not None:
        return refusal
    rid = pending_requests.save(request, pending)
    target = "consent" if _signed_in_user(request) else "signin"
    return redirect(f"sandbox:mercadolivre:{target}", rid=rid)


def _expired(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        "Solicitação expirada",
        "Esta solicitação de autorização não existe mais ou expirou. Volte ao aplicativo.",
    )


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest, rid: str) -> HttpResponse:
    pending = pending_requests.get(request, rid)
    if pending is None:
        return _expired(request)
    if _signed_in_user(request):
        return redirect("sandbox:mercadolivre:consent", rid=rid)
    context = {"rid": rid, "pending": pending, "login": ""}
    if request.method == "POST":
        login = request.POST.get("login", "")
        user = authenticate(login, request.POST.get("password", ""))
        if user is not None:
            request.session.cycle_key()
            request.session[SESSION_USER] = user.user_id
            logger.info("sandbox.mercadolivre.signed_in")
            return redirect("sandbox:mercadolivre:consent", rid=rid)
        context.update(login=login, error="E-mail, usuário ou senha incorretos.")
    return _render(request, "signin.html", context)


@require_http_methods(["GET", "POST"])
def consent_page(request: HttpRequest, rid: str) -> HttpResponse:
    """ "Permitir acesso": the signed-in account authorizes the application, or not."""
    pending = pending_requests.get(request, rid)
    if pending is None:
        return _expired(request)
    user = _signed_in_user(request)
    if user is None:
        return redirect("sandbox:mercadolivre:signin", rid=rid)
    if request.method == "POST":
        pending_requests.pop(request, rid)
        if request.POST.get("action") != "allow":
            return consent.error_callback(pending, "access_denied", "the user denied the request")
        code = tokens.issue_code(
            marketplace=conf.KEY,
            client_id=pending["client_id"],
            redirect_uri=pending["redirect_uri"],
            account_id=str(user.user_id),
            scopes=conf.SCOPE.split(),
            code_challenge=pending["code_challenge"],
        )
        logger.info("sandbox.mercadolivre.code_issued", extra={"user_id": user.user_id})
        return consent.callback_redirect(
            pending["redirect_uri"], {"code": code, "state": pending["state"]}
        )
    return _render(request, "consent.html", {"rid": rid, "pending": pending})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_USER, None)
    rid = request.POST.get("rid", "")
    if rid and pending_requests.get(request, rid) is not None:
        return redirect("sandbox:mercadolivre:signin", rid=rid)
    request.session.pop(pending_requests.key, None)
    return redirect("sandbox:mercadolivre:home")
