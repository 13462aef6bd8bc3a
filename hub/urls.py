"""The hub's own pages: signing in and out, passwords, invitations, Configurações, probes."""

from django.urls import path

from hub import invitation_views, password_reset, views

urlpatterns = [
    path("entrar/", views.HubLoginView.as_view(), name="login"),
    path("sair/", views.HubLogoutView.as_view(), name="logout"),
    path(
        "entrar/esqueci-minha-senha/",
        password_reset.HubPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "entrar/esqueci-minha-senha/enviado/",
        password_reset.HubPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "entrar/nova-senha/<uidb64>/<token>/",
        password_reset.HubPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "entrar/nova-senha/concluido/",
        password_reset.HubPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "entrar/convite/<uidb64>/<token>/",
        invitation_views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path(
        "entrar/convite/concluido/",
        invitation_views.InvitationCompleteView.as_view(),
        name="invitation_complete",
    ),
    path("configuracoes/", views.settings_index, name="settings"),
    path("configuracoes/senha/", views.HubPasswordChangeView.as_view(), name="password_change"),
    path(
        "configuracoes/senha/alterada/",
        views.HubPasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("healthz", views.healthz, name="healthz"),
]
