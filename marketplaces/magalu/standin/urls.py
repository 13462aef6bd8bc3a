from django.urls import path

from marketplaces.magalu.standin import views_api
from marketplaces.magalu.standin.views_login import pages

app_name = "magalu"

urlpatterns = [
    # ID Magalu
    *pages.urls("idmagalu"),
    path("idmagalu/login", pages.authorize, name="login"),
    path("idmagalu/oauth/token", views_api.token, name="token"),
    path(
        "idmagalu/account/api/v2/whoami/tenants",
        views_api.whoami_tenants,
        name="whoami-tenants",
    ),
    # The Magalu seller API (api.magalu.com)
    path("magalu-api/seller/v1/orders", views_api.seller_orders, name="api-orders"),
    path("magalu-api/<path:rest>", views_api.seller_api_not_found, name="api-other"),
]
