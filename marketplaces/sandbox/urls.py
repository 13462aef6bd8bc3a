from django.urls import include, path

from marketplaces.sandbox import views
from marketplaces.sandbox.registry import STAND_INS

app_name = "sandbox"

urlpatterns = [
    path("", views.home, name="home"),
    *(path("", include(module.URLCONF, namespace=key)) for key, module in STAND_INS.items()),
]
