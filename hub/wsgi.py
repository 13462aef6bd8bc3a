import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
application = get_wsgi_application()

from hub.startup import freeze_loaded_objects  # noqa: E402 (Django is set up by now)

freeze_loaded_objects()
