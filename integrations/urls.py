from django.urls import path

from integrations import views, views_integration

app_name = "integrations"

urlpatterns = [
    path("configuracoes/integracoes/", views_integration.index, name="index"),
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
        views_integration.history,
        name="history",
    ),
    path(
        "configuracoes/integracoes/marketplaces/<int:pk>/desconectar/",
        views_integration.disconnect,
        name="disconnect",
    ),
    path(
        "configuracoes/integracoes/marketplaces/<int:pk>/remover-da-lista/",
        views_integration.remove_from_list,
        name="remove_from_list",
    ),
    path("integracoes/<slug:marketplace>/retorno/", views.callback, name="callback"),
    path(
        "configuracoes/integracoes/marketplaces/escolher-contas/<int:pk>/",
        views.choose_accounts,
        name="choose_accounts",
    ),
    path(
        "integracoes/autorizacao-invalida/",
        views.authorization_invalid,
        name="authorization_invalid",
    ),
]
