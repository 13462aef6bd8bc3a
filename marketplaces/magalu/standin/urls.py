from django.urls import path

from marketplaces.magalu.standin import views_api
from marketplaces.magalu.standin.views_login import pages

app_name = "magalu"

urlpatterns = [
    # ID Magalu
    path("idmagalu/", pages.home, name="home"),
    path("idmagalu/login", pages.authorize, name="login"),
    path("idmagalu/entrar/<str:rid>/", pages.signin, name="signin"),
    path("idmagalu/conta/<str:rid>/", pages.choose, name="choose"),
    path("idmagalu/sair", pages.signout, name="logout"),
    path("idmagalu/oauth/token", views_api.token, name="token"),
    path(
        "idmagalu/account/api/v2/whoami/tenants",
        views_api.whoami_tenants,
        name="whoami-tenants",
    ),
    # The Magalu seller API (api.magalu.com)
    path("magalu-api/seller/v1/orders", views_api.seller_orders, name="api-orders"),
    path("magalu-api/seller/v1/orders/<str:order_id>", views_api.seller_order, name="api-order"),
    path("magalu-api/<path:rest>", views_api.seller_api_not_found, name="api-other"),
]
