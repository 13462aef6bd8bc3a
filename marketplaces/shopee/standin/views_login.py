"""Shopee's browser-facing pages: the partner authorization (``/api/v2/shop/auth_partner``),
sign-in with the shop's login, "Confirm Authorization" and sign-out. The login is the shop; a
main account's login authorizes its shops at once and comes back with ``main_account_id``."""

import logging
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import get_template
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplaces.sandbox import consent, tokens
from marketplaces.shopee import signing
from marketplaces.shopee.standin import conf
from marketplaces.shopee.standin.directory import (
    DEMO_PASSWORD,
    DEMO_SHOPS,
    MAIN_ACCOUNTS,
    MainAccount,
    authenticate,
    login_by_name,
)
from marketplaces.shopee.standin.gate import signature_problem

logger = logging.getLogger(__name__)

SESSION_LOGIN = "sandbox.shopee.login"
BASE_TEMPLATE = "sandbox/shopee/base.html"
pending_requests = consent.PendingRequests(conf.KEY)


def _signed_in(request: HttpRequest):
    return login_by_name(request.session.get(SESSION_LOGIN))


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    page = get_template(f"sandbox/shopee/{template}").render(
        {
            **context,
            "csrf_token": get_token(request),
            "account": _signed_in(request),
            "demo_shops": DEMO_SHOPS,
            "main_accounts": MAIN_ACCOUNTS,
            "demo_password": DEMO_PASSWORD,
        }
    )
    return HttpResponse(page, status=status)


def _error_page(request: HttpRequest, title: str, message: str) -> HttpResponse:
    return consent.error_page(request, title, message, base_template=BASE_TEMPLATE)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _render(request, "home.html", {})


def _registered(url: str) -> bool:
    """The redirect is the registered one (Shopee checks it against the app's domain), with
    any query of ours."""
    given, registered = urlsplit(url), urlsplit(conf.redirect_uri())
    return given._replace(query="", fragment="") == registered._replace(query="", fragment="")


@require_GET
def auth_partner(request: HttpRequest) -> HttpResponse:
    """``GET /api/v2/shop/auth_partner``: a public signed call that opens the shop's login."""
    if signature_problem(request, signing.AUTH_PARTNER_PATH, shop_call=False) is not None:
        return _error_page(
            request, "Assinatura inválida", "partner_id, timestamp ou sign inválidos."
        )
    target = request.GET.get("redirect", "")
    if not _registered(target):
        return _error_page(
            request, "Endereço de retorno inválido", "O redirect não é o cadastrado para o app."
        )
    rid = pending_requests.save(request, {"redirect": target, "partner_id": conf.partner_id()})
    step = "consent" if _signed_in(request) else "signin"
    return redirect(f"sandbox:shopee:{step}", rid=rid)


def _expired(request: HttpRequest) -> HttpResponse:
    return _error_page(request, "Solicitação expirada", "Volte ao aplicativo e comece de novo.")


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest, rid: str) -> HttpResponse:
    pending = pending_requests.get(request, rid)
    if pending is None:
        return _expired(request)
    if _signed_in(request):
        return redirect("sandbox:shopee:consent", rid=rid)
    context = {"rid": rid, "pending": pending, "login": ""}
    if request.method == "POST":
        login = request.POST.get("login", "")
        account = authenticate(login, request.POST.get("password", ""))
        if account is not None:
            request.session.cycle_key()
            request.session[SESSION_LOGIN] = account.login
            logger.info("sandbox.shopee.signed_in")
            return redirect("sandbox:shopee:consent", rid=rid)
        context.update(login=login, error="Usuário ou senha incorretos.")
    return _render(request, "signin.html", context)


@require_http_methods(["GET", "POST"])
def consent_page(request: HttpRequest, rid: str) -> HttpResponse:
    """ "Confirm Authorization": the signed-in shop (or main account) authorizes the partner."""
    pending = pending_requests.get(request, rid)
    if pending is None:
        return _expired(request)
    account = _signed_in(request)
    if account is None:
        return redirect("sandbox:shopee:signin", rid=rid)
    if request.method == "POST":
        pending_requests.pop(request, rid)
        if request.POST.get("action") != "allow":
            return consent.callback_redirect(pending["redirect"], {"error": "access_denied"})
        main = isinstance(account, MainAccount)
        account_id = f"main:{account.main_account_id}" if main else str(account.shop_id)
        code = tokens.issue_code(
            marketplace=conf.KEY,
            client_id=pending["partner_id"],
            redirect_uri=conf.redirect_uri(),
            account_id=account_id,
            scopes=[],
            code_challenge="",
        )
        logger.info("sandbox.shopee.code_issued")
        back = (
            {"code": code, "main_account_id": str(account.main_account_id)}
            if main
            else {"code": code, "shop_id": str(account.shop_id)}
        )
        return consent.callback_redirect(pending["redirect"], back)
    return _render(request, "consent.html", {"rid": rid, "pending": pending})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_LOGIN, None)
    rid = request.POST.get("rid", "")
    if rid and pending_requests.get(request, rid) is not None:
        return redirect("sandbox:shopee:signin", rid=rid)
    request.session.pop(pending_requests.key, None)
    return redirect("sandbox:shopee:home")
