from django.urls import path

from marketplaces.shopee.standin import views_api
from marketplaces.shopee.standin.views_login import pages

app_name = "shopee"

urlpatterns = [
    # seller.shopee.com.br: the shop's login and consent
    *pages.urls("shopee"),
    # partner.shopeemobile.com
    path("shopee-api/api/v2/shop/auth_partner", pages.auth_partner, name="auth-partner"),
    path("shopee-api/api/v2/auth/token/get", views_api.token_get, name="token-get"),
    path(
        "shopee-api/api/v2/auth/access_token/get",
        views_api.access_token_get,
        name="access-token-get",
    ),
    path("shopee-api/api/v2/shop/get_shop_info", views_api.get_shop_info, name="shop-info"),
    path("shopee-api/api/v2/order/get_order_list", views_api.get_order_list, name="order-list"),
    path(
        "shopee-api/api/v2/order/get_order_detail", views_api.get_order_detail, name="order-detail"
    ),
    path("shopee-api/<path:rest>", views_api.api_not_found, name="api-other"),
]
