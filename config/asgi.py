import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

from config.startup import freeze_loaded_objects  # noqa: E402 (Django is set up by now)

freeze_loaded_objects()
