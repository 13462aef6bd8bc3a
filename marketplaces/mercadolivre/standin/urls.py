from django.urls import path

from marketplaces.mercadolivre.standin import views_api, views_push
from marketplaces.mercadolivre.standin.views_login import pages

app_name = "mercadolivre"

urlpatterns = [
    # auth.mercadolivre.com.br
    path("mercadolivre/", pages.home, name="home"),
    path("mercadolivre/authorization", pages.authorize, name="authorize"),
    path("mercadolivre/entrar/<str:rid>/", pages.signin, name="signin"),
    path("mercadolivre/permitir/<str:rid>/", pages.consent_page, name="consent"),
    path("mercadolivre/sair", pages.signout, name="logout"),
    path("mercadolivre/topicos", views_push.topics, name="topics"),
    # api.mercadolibre.com
    path("mercadolivre-api/oauth/token", views_api.token, name="token"),
    path("mercadolivre-api/users/me", views_api.users_me, name="users-me"),
    path("mercadolivre-api/missed_feeds", views_push.missed_feeds, name="missed-feeds"),
    path("mercadolivre-api/orders/search", views_api.orders_search, name="orders-search"),
    path("mercadolivre-api/orders/<int:order_id>", views_api.order, name="order"),
    path("mercadolivre-api/<path:rest>", views_api.api_not_found, name="api-other"),
]
