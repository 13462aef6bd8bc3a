from django.urls import include, path

from marketplaces.shopee import signing
from marketplaces.shopee.standin import views_api
from marketplaces.shopee.standin.views_login import pages

app_name = "shopee"


def _call(api_path: str, view, name: str):
    """The stand-in's answer at a path the hub signs (``signing.*_PATH``, "/api/v2/...")."""
    return path(api_path.removeprefix("/"), view, name=name)


# partner.shopeemobile.com
open_platform = [
    _call(signing.AUTH_PARTNER_PATH, pages.auth_partner, "auth-partner"),
    _call(signing.TOKEN_GET_PATH, views_api.token_get, "token-get"),
    _call(signing.ACCESS_TOKEN_GET_PATH, views_api.access_token_get, "access-token-get"),
    _call(signing.SHOP_INFO_PATH, views_api.get_shop_info, "shop-info"),
    _call(signing.ORDER_LIST_PATH, views_api.get_order_list, "order-list"),
    _call(signing.ORDER_DETAIL_PATH, views_api.get_order_detail, "order-detail"),
    path("<path:rest>", views_api.api_not_found, name="api-other"),
]

urlpatterns = [
    # seller.shopee.com.br: the shop's login and consent
    path("shopee/", include(pages.urls())),
    path("shopee-api/", include(open_platform)),
]
