"""The hub's Django project: settings, URLs, the Celery app and the seller tenancy."""

from config.celery import app as celery_app

__all__ = ("celery_app",)
