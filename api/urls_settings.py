from django.urls import include, path

from api import views_settings

app_name = "api_settings"

# Configurações → API e webhooks
api_settings = [
    path("", views_settings.index, name="index"),
    path("chaves/nova/", views_settings.key_create, name="key_create"),
    path("chaves/<int:pk>/revogar/", views_settings.key_revoke, name="key_revoke"),
    path("webhooks/novo/", views_settings.endpoint_create, name="endpoint_create"),
    path("webhooks/<int:pk>/reativar/", views_settings.endpoint_enable, name="endpoint_enable"),
    path("webhooks/<int:pk>/excluir/", views_settings.endpoint_delete, name="endpoint_delete"),
    path("entregas/<int:pk>/reenviar/", views_settings.delivery_resend, name="delivery_resend"),
]

urlpatterns = [path("configuracoes/api/", include(api_settings))]
