from django.urls import include, path

from marketplaces.mercadolivre.orders import SEARCH_PATH
from marketplaces.mercadolivre.standin import views_api, views_push
from marketplaces.mercadolivre.standin.views_login import pages

app_name = "mercadolivre"

# auth.mercadolivre.com.br
auth = [
    *pages.urls(),
    path("authorization", pages.authorize, name="authorize"),
    path("topicos", views_push.topics, name="topics"),
]
# api.mercadolibre.com
api = [
    path("oauth/token", views_api.token, name="token"),
    path("users/me", views_api.users_me, name="users-me"),
    path("missed_feeds", views_push.missed_feeds, name="missed-feeds"),
    path(SEARCH_PATH.removeprefix("/"), views_api.orders_search, name="orders-search"),
    path("orders/<int:order_id>", views_api.order, name="order"),
    path("<path:rest>", views_api.api_not_found, name="api-other"),
]

urlpatterns = [
    path("mercadolivre/", include(auth)),
    path("mercadolivre-api/", include(api)),
]
