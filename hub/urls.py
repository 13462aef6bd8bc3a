from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from hub import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="integrations:marketplaces"), name="home"),
    path("entrar/", views.HubLoginView.as_view(), name="login"),
    path("sair/", views.HubLogoutView.as_view(), name="logout"),
    path("", include("integrations.urls")),
    path("", include("integrations.orders.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]

if settings.MARKETPLACE_SANDBOX:
    urlpatterns.append(path("sandbox/", include("integrations.sandbox.urls")))
