import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
application = get_asgi_application()

from hub.startup import freeze_loaded_objects  # noqa: E402 (Django is set up by now)

freeze_loaded_objects()
