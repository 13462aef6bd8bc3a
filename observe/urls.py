"""The operator's probes: readiness (is everything this process needs up?) and metrics."""

from django.urls import path

from observe import views

urlpatterns = [
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics, name="metrics"),
]
