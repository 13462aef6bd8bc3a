from django.urls import path

from marketplaces.magalu.standin import views_api, views_login

app_name = "magalu"

urlpatterns = [
    # ID Magalu
    path("idmagalu/", views_login.home, name="home"),
    path("idmagalu/login", views_login.authorize, name="login"),
    path("idmagalu/entrar/<str:rid>/", views_login.signin, name="signin"),
    path("idmagalu/conta/<str:rid>/", views_login.choose, name="choose"),
    path("idmagalu/sair", views_login.signout, name="logout"),
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
