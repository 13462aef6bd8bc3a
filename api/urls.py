"""/api/v1/: the REST API, its schema and its documentation page."""

from django.urls import path, re_path

from api import docs, views
from api.problems import not_found

app_name = "api"

urlpatterns = [
    path("api/v1/integrations", views.IntegrationList.as_view(), name="integrations"),
    path("api/v1/orders", views.OrderList.as_view(), name="orders"),
    path("api/v1/events", views.EventList.as_view(), name="events"),
    path("api/v1/webhooks", views.WebhookList.as_view(), name="webhooks"),
    path("api/v1/schema/", docs.SchemaView.as_view(urlconf="api.urls"), name="schema"),
    path("api/v1/docs/", docs.docs_page, name="docs"),
    re_path(r"^api/", not_found),
]
