from django.urls import path

from integrations.orders import views

app_name = "orders"

urlpatterns = [
    path("pedidos/", views.orders_list, name="list"),
]
