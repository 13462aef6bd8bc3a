"""The page an invitation's link lands on: the invited person creates the password."""

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from hub.password_reset import SetPasswordFromLinkView


class InvitationAcceptView(SetPasswordFromLinkView):
    template_name = "hub/account/invitation_accept.html"
    success_url = reverse_lazy("invitation_complete")
    title = "Crie sua senha"
    done_event = "hub.invitation.accepted"


class InvitationCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "hub/account/invitation_complete.html"
    title = "Senha criada"
