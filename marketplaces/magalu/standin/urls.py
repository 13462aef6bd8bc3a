from django.urls import include, path

from marketplaces.magalu.orders import ORDERS_PATH
from marketplaces.magalu.standin import views_api
from marketplaces.magalu.standin.views_login import pages

app_name = "magalu"

# ID Magalu (id.magalu.com)
id_magalu = [
    *pages.urls(),
    path("login", pages.authorize, name="login"),
    path("oauth/token", views_api.token, name="token"),
    path("account/api/v2/whoami/tenants", views_api.whoami_tenants, name="whoami-tenants"),
]
# The Magalu seller API (api.magalu.com)
seller_api = [
    path(ORDERS_PATH.removeprefix("/"), views_api.seller_orders, name="api-orders"),
    path(
        f"{ORDERS_PATH.removeprefix('/')}/<str:order_id>", views_api.seller_order, name="api-order"
    ),
    path("<path:rest>", views_api.seller_api_not_found, name="api-other"),
]

urlpatterns = [
    path("idmagalu/", include(id_magalu)),
    path("magalu-api/", include(seller_api)),
]
