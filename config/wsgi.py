import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from config.config_errors import GUNICORN_APP_LOAD_ERROR, exit_with_one_line

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as exc:
    exit_with_one_line(exc, code=GUNICORN_APP_LOAD_ERROR)

from config.startup import freeze_loaded_objects

freeze_loaded_objects()
