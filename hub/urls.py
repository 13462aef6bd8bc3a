from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from hub import invitation_views, password_reset, views
from hub.observe import views as observe_views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="integrations:marketplaces"), name="home"),
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
    path("", include("integrations.urls")),
    path("", include("integrations.orders.urls")),
    path("", include("integrations.notices.urls")),
    path("", include("api.urls")),
    path("", include("api.urls_settings")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", observe_views.readyz, name="readyz"),
    path("metrics", observe_views.metrics, name="metrics"),
]

if settings.MARKETPLACE_SANDBOX:
    urlpatterns.append(path("sandbox/", include("integrations.sandbox.urls")))
