"""Mercado Livre's browser-facing pages: the authorization request, sign-in, the consent
("Permitir") and sign-out. The login is the account: the seller picks it by signing in with it."""

import logging

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from marketplaces.mercadolivre.standin import conf, push
from marketplaces.mercadolivre.standin.directory import (
    DEMO_PASSWORD,
    DEMO_USERS,
    authenticate,
    user_by_id,
)
from marketplaces.sandbox import consent, outbox, tokens
from marketplaces.sandbox.login import LoginPages

logger = logging.getLogger(__name__)


class MercadoLivrePages(LoginPages):
    stand_in = conf.STAND_IN
    session_name = "user"
    next_step = "consent"
    login_error = "E-mail, usuário ou senha incorretos."
    expired_message = (
        "Esta solicitação de autorização não existe mais ou expirou. Volte ao aplicativo."
    )
    signed_in_event = "sandbox.mercadolivre.signed_in"
    check_login = staticmethod(authenticate)
    signed_in = staticmethod(user_by_id)
    session_attribute = "user_id"
    account_name = "user"
    demo_context = {"demo_users": DEMO_USERS, "demo_password": DEMO_PASSWORD}

    @method_decorator(require_GET)
    def home(self, request: HttpRequest) -> HttpResponse:
        """The home page, with the application's notifications (topics on or off)."""
        context = {"channel": outbox.channel(conf.KEY), "push_url": push.SENDER.url()}
        return self.render(request, "home.html", context)

    @method_decorator(require_GET)
    def authorize(self, request: HttpRequest) -> HttpResponse:
        """``GET /authorization`` on auth.mercadolivre.com.br."""
        # Mercado Livre sends no iss (RFC 9207)
        pending, refusal = self.authorization_request(request, issuer=None)
        if refusal is not None:
            return refusal
        return self.start(request, pending)

    def deny(self, pending: dict) -> HttpResponse:
        return consent.error_callback(pending, "access_denied", "the user denied the request")

    def grant(self, pending: dict, user) -> HttpResponse:
        """ "Permitir acesso": the signed-in account authorizes the application."""
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


pages = MercadoLivrePages()
