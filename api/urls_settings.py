from django.urls import path

from api import views_settings

app_name = "api_settings"

urlpatterns = [
    path("configuracoes/api/", views_settings.index, name="index"),
    path("configuracoes/api/chaves/nova/", views_settings.key_create, name="key_create"),
    path(
        "configuracoes/api/chaves/<int:pk>/revogar/",
        views_settings.key_revoke,
        name="key_revoke",
    ),
    path(
        "configuracoes/api/webhooks/novo/", views_settings.endpoint_create, name="endpoint_create"
    ),
    path(
        "configuracoes/api/webhooks/<int:pk>/reativar/",
        views_settings.endpoint_enable,
        name="endpoint_enable",
    ),
    path(
        "configuracoes/api/webhooks/<int:pk>/excluir/",
        views_settings.endpoint_delete,
        name="endpoint_delete",
    ),
    path(
        "configuracoes/api/entregas/<int:pk>/reenviar/",
        views_settings.delivery_resend,
        name="delivery_resend",
    ),
]
