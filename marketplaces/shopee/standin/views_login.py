"""Shopee's browser-facing pages: the partner authorization (``/api/v2/shop/auth_partner``),
sign-in with the shop's login, "Confirm Authorization" and sign-out. The login is the shop; a
main account's login authorizes its shops at once (its consent page lists them) and comes back
with ``main_account_id``."""

import logging
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET

from marketplaces.sandbox import consent, tokens
from marketplaces.sandbox.login import LoginPages
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


def _registered(url: str) -> bool:
    """The redirect is the registered one (Shopee checks it against the app's domain), with
    any query of ours."""
    given, registered = urlsplit(url), urlsplit(conf.redirect_uri())
    return given._replace(query="", fragment="") == registered._replace(query="", fragment="")


class ShopeePages(LoginPages):
    stand_in = conf.STAND_IN
    session_name = "login"
    next_step = "consent"
    next_step_path = "autorizar"
    login_error = "Usuário ou senha incorretos."
    expired_message = "Volte ao aplicativo e comece de novo."
    signed_in_event = "sandbox.shopee.signed_in"
    check_login = staticmethod(authenticate)
    signed_in = staticmethod(login_by_name)
    session_attribute = "login"
    account_name = "account"
    demo_context = {
        "demo_shops": DEMO_SHOPS,
        "main_accounts": MAIN_ACCOUNTS,
        "demo_password": DEMO_PASSWORD,
    }

    @method_decorator(require_GET)
    def auth_partner(self, request: HttpRequest) -> HttpResponse:
        """``GET /api/v2/shop/auth_partner``: a public signed call that opens the shop's login."""
        if signature_problem(request, signing.AUTH_PARTNER_PATH, shop_call=False) is not None:
            return self.error_page(
                request, "Assinatura inválida", "partner_id, timestamp ou sign inválidos."
            )
        target = request.GET.get("redirect", "")
        if not _registered(target):
            return self.error_page(
                request,
                "Endereço de retorno inválido",
                "O redirect não é o cadastrado para o app.",
            )
        return self.start(request, {"redirect": target, "partner_id": conf.partner_id()})

    def deny(self, pending: dict) -> HttpResponse:
        return consent.callback_redirect(pending["redirect"], {"error": "access_denied"})

    def grant(self, pending: dict, account) -> HttpResponse:
        """ "Confirm Authorization": the signed-in shop (or main account) authorizes the partner."""
        main = isinstance(account, MainAccount)
        account_id = account.account_id if main else str(account.shop_id)
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


pages = ShopeePages()
