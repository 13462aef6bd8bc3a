"""The project's URLs: each app's own URLconf, by name (the configuration imports no app)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="integrations:marketplaces"), name="home"),
    path("", include("hub.urls")),
    path("", include("observe.urls")),
    path("", include("integrations.urls")),
    path("", include("integrations.orders.urls")),
    path("", include("integrations.push.urls")),
    path("", include("integrations.notices.urls")),
    path("", include("api.urls")),
    path("", include("api.urls_settings")),
    path("admin/", admin.site.urls),
]

if settings.MARKETPLACE_SANDBOX:
    urlpatterns.append(path("sandbox/", include("marketplaces.sandbox.urls")))
