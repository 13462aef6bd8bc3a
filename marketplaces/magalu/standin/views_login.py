"""ID Magalu's browser-facing pages: consent request, sign-in, account choice and sign-out, over
the pages every stand-in shares (``marketplaces.sandbox.login``)."""

import logging

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods

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
from marketplaces.sandbox.login import LoginPages

logger = logging.getLogger(__name__)


def _issuer() -> str | None:
    return conf.issuer() if conf.send_iss() else None


class IdMagaluPages(LoginPages):
    stand_in = conf.STAND_IN
    session_name = "person"
    next_step = "choose"
    next_step_path = "conta"
    next_step_view = "choose"
    login_field = "email"
    login_error = "E-mail ou senha inválidos."
    expired_message = (
        "Esta solicitação de acesso não existe mais ou expirou. "
        "Volte ao aplicativo e comece de novo."
    )
    signed_in_event = "sandbox.person.signed_in"
    signed_out_event = "sandbox.person.signed_out"

    def signed_in(self, session_value):
        # One demo person signs in; the accounts it acts for are chosen after.
        return DEMO_PERSON_UUID if session_value == DEMO_PERSON_UUID else None

    def authenticate(self, login: str, password: str):
        return DEMO_PERSON_UUID if authenticate(login, password) else None

    def page_context(self, request: HttpRequest) -> dict:
        return {
            # The signed-in person's e-mail, or "" when nobody is signed in.
            "person_email": DEMO_PERSON_EMAIL if self.account(request) is not None else "",
            "demo_email": DEMO_PERSON_EMAIL,
            "demo_password": DEMO_PERSON_PASSWORD,
        }

    @method_decorator(require_GET)
    def authorize(self, request: HttpRequest) -> HttpResponse:
        """The consent entry point (``/login`` on ID Magalu)."""
        pending, refusal = self.authorization_request(request, issuer=_issuer())
        if refusal is not None:
            return refusal
        pending["scopes"] = request.GET.get("scope", "").split() or conf.default_scopes()
        pending["choose_tenants"] = request.GET.get("choose_tenants") == "true"
        return self.start(request, pending)

    def _grant(self, request: HttpRequest, rid: str, pending: dict, tenant_uuid: str):
        code = tokens.issue_code(
            marketplace=conf.KEY,
            client_id=pending["client_id"],
            redirect_uri=pending["redirect_uri"],
            account_id=tenant_uuid,
            scopes=pending["scopes"],
            code_challenge=pending["code_challenge"],
        )
        self.pending_requests.pop(request, rid)
        logger.info("sandbox.code.issued", extra={"tenant_uuid": tenant_uuid})
        return consent.callback_redirect(
            pending["redirect_uri"], {"code": code, "state": pending["state"]}, issuer=_issuer()
        )

    @method_decorator(require_http_methods(["GET", "POST"]))
    def choose(self, request: HttpRequest, rid: str) -> HttpResponse:
        """The "Escolha a conta" page: which account (Pessoa Física or Jurídica) grants access."""
        pending, _person, answer = self.pending_and_account(request, rid)
        if answer is not None:
            return answer
        if request.method == "POST" and request.POST.get("action") == "cancel":
            self.pending_requests.pop(request, rid)
            return consent.error_callback(
                pending, "access_denied", "The user denied the request.", issuer=_issuer()
            )
        if not pending["choose_tenants"]:
            # choose_tenants=false: the consent applies to the natural person who signed in.
            return self._grant(request, rid, pending, DEMO_PERSON_UUID)
        context = {"rid": rid, "pending": pending, "tenants": DEMO_TENANTS, "selected": ""}
        if request.method == "POST":
            tenant = tenant_by_uuid(request.POST.get("tenant"))
            if tenant is not None:
                return self._grant(request, rid, pending, tenant.uuid)
            context["error"] = "Escolha uma conta para continuar."
        return self.render(request, "choose.html", context)


pages = IdMagaluPages()
pending_requests = pages.pending_requests
SESSION_PERSON = pages.session_key
