from django.urls import include, path

from integrations import views, views_integration

app_name = "integrations"

# Configurações → Integrações → Marketplaces
marketplaces = [
    path("", views.marketplaces, name="marketplaces"),
    path("ativar-token/", views.reactivate_choose_marketplace, name="reactivate"),
    path("ativar-token/<slug:marketplace>/", views.reactivate_confirm, name="reactivate_confirm"),
    path("conectar/", views.connect_choose_marketplace, name="connect_choose"),
    path("conectar/<slug:marketplace>/", views.connect_confirm, name="connect"),
    path("<int:pk>/historico/", views_integration.history, name="history"),
    path("<int:pk>/desconectar/", views_integration.disconnect, name="disconnect"),
    path("<int:pk>/remover-da-lista/", views_integration.remove_from_list, name="remove_from_list"),
]

urlpatterns = [
    path("configuracoes/integracoes/", views_integration.index, name="index"),
    path("configuracoes/integracoes/marketplaces/", include(marketplaces)),
    # Where the marketplaces send the browser back.
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
