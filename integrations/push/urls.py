from django.urls import path

from integrations.push import views

app_name = "push"

urlpatterns = [
    path("push/<str:key>/", views.receive, name="receive"),
]
