"""The browser pages every stand-in shares: its own look, the sign-in with a demo login, the
"request expired" page and the sign-out. A stand-in subclasses ``LoginPages`` with its own words,
its directory and the step that follows the sign-in (an account choice or a consent page).

The stand-in is another site, so its pages are rendered without the hub's context processors, and
it only ever touches its own ``sandbox.<key>.*`` session keys (see ``consent``).
"""

import logging

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import get_template
from django.urls import URLPattern, path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from marketplaces.sandbox import consent
from marketplaces.sandbox.conf import StandInConf

logger = logging.getLogger(__name__)

EXPIRED_TITLE = "Solicitação expirada"


class LoginPages:
    """One stand-in's sign-in pages; the views are its bound methods (``pages.signin``)."""

    stand_in: StandInConf  # its key is the URL namespace under ``sandbox:`` and session prefix
    session_name: str  # what the session keeps of the signed-in login, under sandbox.<key>.
    next_step: str  # the URL name the sign-in leads to
    next_step_path: str  # its path segment, in the marketplace's words
    next_step_view = "consent_page"  # the method that serves it
    login_field = "login"  # the sign-in form's field for the e-mail or user name
    login_error: str  # shown when the login or password is wrong
    expired_message: str  # shown when the pending request is gone
    signed_in_event: str
    signed_out_event: str | None = None
    # A stand-in whose signed-in login is a directory entry names these (else it overrides
    # ``authenticate`` and ``page_context``):
    check_login = None  # (login, password) -> the entry, or None
    session_attribute = ""  # the entry's attribute the session keeps
    account_name = ""  # the pages' name for the signed-in entry
    demo_context: dict = {}  # the demo logins the pages show

    def __init__(self) -> None:
        self.key = self.stand_in.key
        self.session_key = f"sandbox.{self.key}.{self.session_name}"
        self.base_template = f"sandbox/{self.key}/base.html"
        self.pending_requests = consent.PendingRequests(self.key)

    # What each stand-in supplies.

    def signed_in(self, session_value):
        """The signed-in login for what the session keeps, or None."""
        raise NotImplementedError

    def authenticate(self, login: str, password: str):
        """What the session keeps for this login and password, or None when they are wrong."""
        entry = self.check_login(login, password)
        return getattr(entry, self.session_attribute) if entry is not None else None

    def page_context(self, request: HttpRequest) -> dict:
        """The stand-in's own names on every page (the signed-in login, the demo logins)."""
        return {self.account_name: self.account(request), **self.demo_context}

    # The shared steps.

    def urls(self) -> list[URLPattern]:
        """The shared pages' routes (home, sign-in, the next step, sign-out), for the stand-in to
        include under its sign-in site's prefix."""
        return [
            path("", self.home, name="home"),
            path("entrar/<str:rid>/", self.signin, name="signin"),
            path(
                f"{self.next_step_path}/<str:rid>/",
                getattr(self, self.next_step_view),
                name=self.next_step,
            ),
            path("sair", self.signout, name="logout"),
        ]

    def url_name(self, name: str) -> str:
        return f"sandbox:{self.key}:{name}"

    def account(self, request: HttpRequest):
        return self.signed_in(request.session.get(self.session_key))

    def render(
        self, request: HttpRequest, template: str, context: dict, status: int = 200
    ) -> HttpResponse:
        page = get_template(f"sandbox/{self.key}/{template}").render(
            {
                **context,
                "csrf_token": get_token(request),
                "logout_url": reverse(self.url_name("logout")),
                **self.page_context(request),
            }
        )
        return HttpResponse(page, status=status)

    def error_page(self, request: HttpRequest, title: str, message: str) -> HttpResponse:
        return consent.error_page(request, title, message, base_template=self.base_template)

    def expired(self, request: HttpRequest) -> HttpResponse:
        return self.error_page(request, EXPIRED_TITLE, self.expired_message)

    def authorization_request(self, request: HttpRequest, *, issuer: str | None):
        """The consent request checked against the hub's client (``consent``): (pending, None)
        or (None, the refusal)."""
        return consent.authorization_request(
            request,
            client_id=self.stand_in.client_id(),
            redirect_uri=self.stand_in.redirect_uri(),
            require_pkce=self.stand_in.require_pkce(),
            issuer=issuer,
            base_template=self.base_template,
        )

    def start(self, request: HttpRequest, pending: dict) -> HttpResponse:
        """Keep the request pending and go on: to the next step when signed in, else sign-in."""
        rid = self.pending_requests.save(request, pending)
        step = self.next_step if self.account(request) else "signin"
        return redirect(self.url_name(step), rid=rid)

    def pending_and_account(self, request: HttpRequest, rid: str):
        """(pending request, signed-in login, None), or (.., the answer) when either is missing."""
        pending = self.pending_requests.get(request, rid)
        if pending is None:
            return None, None, self.expired(request)
        account = self.account(request)
        if account is None:
            return pending, None, redirect(self.url_name("signin"), rid=rid)
        return pending, account, None

    @method_decorator(require_GET)
    def home(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, "home.html", {})

    @method_decorator(require_http_methods(["GET", "POST"]))
    def signin(self, request: HttpRequest, rid: str) -> HttpResponse:
        pending = self.pending_requests.get(request, rid)
        if pending is None:
            return self.expired(request)
        if self.account(request):
            return redirect(self.url_name(self.next_step), rid=rid)
        context = {"rid": rid, "pending": pending, self.login_field: ""}
        if request.method == "POST":
            login = request.POST.get(self.login_field, "")
            session_value = self.authenticate(login, request.POST.get("password", ""))
            if session_value is not None:
                request.session.cycle_key()  # a new session id at sign-in (session fixation)
                request.session[self.session_key] = session_value
                logger.info(self.signed_in_event)
                return redirect(self.url_name(self.next_step), rid=rid)
            context.update({self.login_field: login, "error": self.login_error})
        return self.render(request, "signin.html", context)

    def deny(self, pending: dict) -> HttpResponse:
        """Back to the client with the marketplace's refusal (a stand-in with a consent page)."""
        raise NotImplementedError

    def grant(self, pending: dict, account) -> HttpResponse:
        """Back to the client with a code for ``account`` (a stand-in with a consent page)."""
        raise NotImplementedError

    @method_decorator(require_http_methods(["GET", "POST"]))
    def consent_page(self, request: HttpRequest, rid: str) -> HttpResponse:
        """The consent page: the signed-in login allows the pending request, or denies it."""
        pending, account, answer = self.pending_and_account(request, rid)
        if answer is not None:
            return answer
        if request.method == "POST":
            self.pending_requests.pop(request, rid)
            if request.POST.get("action") != "allow":
                return self.deny(pending)
            return self.grant(pending, account)
        return self.render(request, "consent.html", {"rid": rid, "pending": pending})

    @method_decorator(require_POST)
    def signout(self, request: HttpRequest) -> HttpResponse:
        """Sign the login out: only this stand-in's keys go, the hub's session stays intact.

        From a consent page the pending request survives, so the person can sign in again.
        """
        request.session.pop(self.session_key, None)
        if self.signed_out_event:
            logger.info(self.signed_out_event)
        rid = request.POST.get("rid", "")
        if rid and self.pending_requests.get(request, rid) is not None:
            return redirect(self.url_name("signin"), rid=rid)
        request.session.pop(self.pending_requests.key, None)
        return redirect(self.url_name("home"))
