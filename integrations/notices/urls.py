from django.urls import path

from integrations.notices import views

app_name = "notices"

urlpatterns = [
    path("notificacoes/", views.notice_list, name="list"),
    path("notificacoes/<int:pk>/", views.notice_open, name="open"),
    path(
        "notificacoes/marcar-todas-como-lidas/",
        views.notices_mark_all_read,
        name="mark_all_read",
    ),
    path("configuracoes/notificacoes/", views.email_preferences, name="preferences"),
]
