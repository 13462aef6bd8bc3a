"""'Esqueci minha senha': Django's password reset, in pt-BR, with links built from SITE_URL.

Links in e-mails never come from the request's Host header (a forged Host would send a
seller a link to another site, OWASP "Forgot Password Cheat Sheet"); repeated requests for
one address or from one client stop sending mail for the hour, and the page says the same
thing whether or not an account has that address.
"""

import logging

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from hub import throttle
from hub.forms import HubPasswordResetForm, HubSetPasswordForm

logger = logging.getLogger(__name__)
_HOUR = 3600


def reset_link_lifetime() -> str:
    """PASSWORD_RESET_TIMEOUT in words: "2 horas", "45 minutos"."""
    minutes = max(1, settings.PASSWORD_RESET_TIMEOUT // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours} hora{'s' if hours > 1 else ''}"
    return f"{minutes} minuto{'s' if minutes > 1 else ''}"


class HubPasswordResetView(auth_views.PasswordResetView):
    template_name = "hub/account/password_reset_form.html"
    email_template_name = "hub/account/password_reset_email.txt"
    subject_template_name = "hub/account/password_reset_subject.txt"
    form_class = HubPasswordResetForm
    success_url = reverse_lazy("password_reset_done")
    title = "Esqueci minha senha"

    def get_extra_email_context(self):
        return {"site_url": settings.SITE_URL, "reset_link_hours": reset_link_lifetime()}

    def form_valid(self, form):
        address = form.cleaned_data["email"]
        client = get_client_ip_address(self.request) or "unknown"
        # Both counted, always: a client trying many addresses is stopped as well.
        per_address = throttle.hit(
            "password-reset-address",
            address,
            limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
            window_seconds=_HOUR,
        )
        per_client = throttle.hit(
            "password-reset-client",
            client,
            limit=settings.PASSWORD_RESET_LIMIT_PER_CLIENT,
            window_seconds=_HOUR,
        )
        if not (per_address and per_client):
            logger.warning("hub.password_reset.throttled", extra={"by_address": not per_address})
            return HttpResponseRedirect(self.get_success_url())  # the same page, no e-mail
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)


class HubPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "hub/account/password_reset_done.html"
    title = "Verifique seu e-mail"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "reset_link_hours": reset_link_lifetime()}


class SetPasswordFromLinkView(auth_views.PasswordResetConfirmView):
    """Where an e-mailed link (a reset, an invitation) lets the person choose a password: the
    hub's password rules, and one log line, ``done_event``, once the password is set."""

    form_class = HubSetPasswordForm
    done_event = ""

    def form_valid(self, form):
        response = super().form_valid(form)
        self.password_set(form.user)
        # The subclass's module names the logger: resets and invitations stay apart in the logs.
        logging.getLogger(type(self).__module__).info(
            self.done_event, extra={"user_id": form.user.pk}
        )
        return response

    def password_set(self, user) -> None:
        """What else follows from the person having proved the address (nothing, by default)."""


class HubPasswordResetConfirmView(SetPasswordFromLinkView):
    template_name = "hub/account/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    title = "Crie uma nova senha"
    done_event = "hub.password_reset.done"

    def password_set(self, user) -> None:
        # The owner proved the address: a lockout from earlier failed logins ends here.
        axes_reset(username=user.get_username())


class HubPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "hub/account/password_reset_complete.html"
    title = "Senha alterada"
