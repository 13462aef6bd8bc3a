"""The page an invitation's link lands on: the invited person creates the password."""

import logging

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from hub.forms import HubSetPasswordForm

logger = logging.getLogger(__name__)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    template_name = "hub/account/invitation_accept.html"
    form_class = HubSetPasswordForm
    success_url = reverse_lazy("invitation_complete")
    title = "Crie sua senha"

    def form_valid(self, form):
        response = super().form_valid(form)
        logger.info("hub.invitation.accepted", extra={"user_id": form.user.pk})
        return response


class InvitationCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "hub/account/invitation_complete.html"
    title = "Senha criada"
