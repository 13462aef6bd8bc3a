"""One settings object per app, read at call time (the way django-oauth-toolkit reads
``OAUTH2_PROVIDER``): a Django setting of the name when there is one (tests override them), else
the environment variable of that name typed like its default, else the app's default.

The project's settings module never lists an app's knobs, so it imports no app.
"""

import os
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import environ
from django.conf import settings

_ENV = environ.Env()


class AppSettings:
    def __init__(self, defaults: Mapping[str, Any]):
        self.defaults = dict(defaults)

    def get(self, name: str) -> Any:
        if hasattr(settings, name):
            return getattr(settings, name)
        default = self.defaults[name]
        if name not in os.environ:
            return default
        if isinstance(default, bool):
            return _ENV.bool(name)
        if default is None:
            return _ENV.str(name)
        return type(default)(_ENV.str(name))

    def reader(
        self,
        name: str,
        kind: Callable[[Any], Any],
        *,
        low: float | None = None,
        high: float | None = None,
        unit: str = "",
    ) -> Callable[[], Any]:
        """A function reading ``name`` at call time as ``kind``, kept within ``low`` and ``high``
        and, with a ``unit`` ("seconds", "minutes", "hours", "days"), as a ``timedelta``."""

        def read():
            value = kind(self.get(name))
            if low is not None:
                value = max(low, value)
            if high is not None:
                value = min(high, value)
            return timedelta(**{unit: value}) if unit else value

        read.__doc__ = f"The {name} setting."
        return read
