"""ID Magalu's browser-facing pages: consent request, sign-in, account choice and sign-out.

The stand-in is another site, so its pages are rendered without the hub's context processors.
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import get_template
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplaces.magalu.standin import conf
from marketplaces.magalu.standin.directory import (
    DEMO_PERSON_EMAIL,
    DEMO_PERSON_PASSWORD,
    DEMO_PERSON_UUID,
    DEMO_TENANTS,
    authenticate,
    tenant_by_uuid,
)
from marketplaces.sandbox import consent, tokens

logger = logging.getLogger(__name__)

SESSION_PERSON = "sandbox.magalu.person"
BASE_TEMPLATE = "sandbox/magalu/base.html"
pending_requests = consent.PendingRequests(conf.KEY)


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    page = get_template(f"sandbox/magalu/{template}").render(
        {
            **context,
            "csrf_token": get_token(request),
            "signed_in": _signed_in(request),
            "person_email": DEMO_PERSON_EMAIL,
            "demo_email": DEMO_PERSON_EMAIL,
            "demo_password": DEMO_PERSON_PASSWORD,
        }
    )
    return HttpResponse(page, status=status)


def _error_page(request: HttpRequest, title: str, message: str) -> HttpResponse:
    return consent.error_page(request, title, message, base_template=BASE_TEMPLATE)


def _issuer() -> str | None:
    return conf.issuer() if conf.send_iss() else None


def _expired_request_page(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        "Solicitação expirada",
        "Esta solicitação de acesso não existe mais ou expirou. "
        "Volte ao aplicativo e comece de novo.",
    )


def _signed_in(request: HttpRequest) -> bool:
    return request.session.get(SESSION_PERSON) == DEMO_PERSON_UUID


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _render(request, "home.html", {})


@require_GET
def authorize(request: HttpRequest) -> HttpResponse:
    """The consent entry point (``/login`` on ID Magalu)."""
    pending, refusal = consent.authorization_request(
        request,
        client_id=conf.client_id(),
        redirect_uri=conf.redirect_uri(),
        require_pkce=conf.require_pkce(),
        issuer=_issuer(),
        base_template=BASE_TEMPLATE,
    )
    if refusal is not None:
        return refusal
    pending["scopes"] = request.GET.get("scope", "").split() or conf.default_scopes()
    pending["choose_tenants"] = request.GET.get("choose_tenants") == "true"
    rid = pending_requests.save(request, pending)
    target = "sandbox:magalu:choose" if _signed_in(request) else "sandbox:magalu:signin"
    return redirect(target, rid=rid)


@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest, rid: str) -> HttpResponse:
    pending = pending_requests.get(request, rid)
    if pending is None:
        return _expired_request_page(request)
    if _signed_in(request):
        return redirect("sandbox:magalu:choose", rid=rid)
    context = {"rid": rid, "pending": pending, "email": ""}
    if request.method == "POST":
        email = request.POST.get("email", "")
        if authenticate(email, request.POST.get("password", "")):
            request.session.cycle_key()  # a new session id at sign-in (session fixation)
            request.session[SESSION_PERSON] = DEMO_PERSON_UUID
            logger.info("sandbox.person.signed_in")
            return redirect("sandbox:magalu:choose", rid=rid)
        context.update(email=email, error="E-mail ou senha inválidos.")
    return _render(request, "signin.html", context)


def _grant(request: HttpRequest, rid: str, pending: dict, tenant_uuid: str) -> HttpResponse:
    code = tokens.issue_code(
        marketplace=conf.KEY,
        client_id=pending["client_id"],
        redirect_uri=pending["redirect_uri"],
        account_id=tenant_uuid,
        scopes=pending["scopes"],
        code_challenge=pending["code_challenge"],
    )
    pending_requests.pop(request, rid)
    logger.info("sandbox.code.issued", extra={"tenant_uuid": tenant_uuid})
    return consent.callback_redirect(
        pending["redirect_uri"], {"code": code, "state": pending["state"]}, issuer=_issuer()
    )


@require_http_methods(["GET", "POST"])
def choose(request: HttpRequest, rid: str) -> HttpResponse:
    """The "Escolha a conta" page: which account (Pessoa Física or Jurídica) grants access."""
    pending = pending_requests.get(request, rid)
    if pending is None:
        return _expired_request_page(request)
    if not _signed_in(request):
        return redirect("sandbox:magalu:signin", rid=rid)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        pending_requests.pop(request, rid)
        return consent.error_callback(
            pending, "access_denied", "The user denied the request.", issuer=_issuer()
        )
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
    """Sign the demo person out: only this stand-in's keys go, the hub's session stays intact.

    From a consent page the pending request survives, so the person can sign in again.
    """
    request.session.pop(SESSION_PERSON, None)
    logger.info("sandbox.person.signed_out")
    rid = request.POST.get("rid", "")
    if rid and pending_requests.get(request, rid) is not None:
        return redirect("sandbox:magalu:signin", rid=rid)
    request.session.pop(pending_requests.key, None)
    return redirect("sandbox:magalu:home")
