from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("configuracoes/integracoes/marketplaces/", views.marketplaces, name="marketplaces"),
    path(
        "configuracoes/integracoes/marketplaces/ativar-token/",
        views.reactivate_choose_marketplace,
        name="reactivate",
    ),
    path(
        "configuracoes/integracoes/marketplaces/ativar-token/<slug:marketplace>/",
        views.reactivate_confirm,
        name="reactivate_confirm",
    ),
    path(
        "configuracoes/integracoes/marketplaces/conectar/",
        views.connect_choose_marketplace,
        name="connect_choose",
    ),
    path(
        "configuracoes/integracoes/marketplaces/conectar/<slug:marketplace>/",
        views.connect_confirm,
        name="connect",
    ),
    path(
        "configuracoes/integracoes/marketplaces/<int:pk>/historico/",
        views.history,
        name="history",
    ),
    path(
        "configuracoes/integracoes/marketplaces/<int:pk>/desconectar/",
        views.disconnect,
        name="disconnect",
    ),
    path("integracoes/<slug:marketplace>/retorno/", views.callback, name="callback"),
    path(
        "integracoes/autorizacao-invalida/",
        views.authorization_invalid,
        name="authorization_invalid",
    ),
]
