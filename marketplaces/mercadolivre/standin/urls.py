from django.urls import path

from marketplaces.mercadolivre.standin import views_api
from marketplaces.mercadolivre.standin.views_login import pages

app_name = "mercadolivre"

urlpatterns = [
    # auth.mercadolivre.com.br
    *pages.urls("mercadolivre"),
    path("mercadolivre/authorization", pages.authorize, name="authorize"),
    # api.mercadolibre.com
    path("mercadolivre-api/oauth/token", views_api.token, name="token"),
    path("mercadolivre-api/users/me", views_api.users_me, name="users-me"),
    path("mercadolivre-api/orders/search", views_api.orders_search, name="orders-search"),
    path("mercadolivre-api/<path:rest>", views_api.api_not_found, name="api-other"),
]
