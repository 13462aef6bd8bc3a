"""A missing or bad setting stops a process with one line naming it, never a traceback.

The settings raise ``ImproperlyConfigured`` with a message that names the variable; each way in
(manage.py, the WSGI module gunicorn loads, the Celery command) prints that message alone.
"""

import sys

from django.core.exceptions import ImproperlyConfigured

EXIT_CODE = 2
# gunicorn's arbiter halts, instead of respawning the worker, when a worker exits with this code
# (APP_LOAD_ERROR, https://docs.gunicorn.org/en/stable/signals.html).
GUNICORN_APP_LOAD_ERROR = 4


def one_line(exc: ImproperlyConfigured) -> str:
    return f"Configuração inválida (configuration error): {exc}"


def exit_with_one_line(exc: ImproperlyConfigured, *, code: int = EXIT_CODE):
    print(one_line(exc), file=sys.stderr, flush=True)
    raise SystemExit(code)


def install_excepthook() -> None:
    """For commands whose start-up we do not wrap (the ``celery`` command)."""
    previous = sys.excepthook

    def hook(kind, value, traceback):
        if isinstance(value, ImproperlyConfigured):
            print(one_line(value), file=sys.stderr, flush=True)
            return
        previous(kind, value, traceback)

    sys.excepthook = hook


def check_settings() -> int:
    """Loads the settings and the apps once (an app checks its own settings when it is ready);
    one line and a non-zero code when they refuse to load."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        django.setup()
    except ImproperlyConfigured as exc:
        print(one_line(exc), file=sys.stderr, flush=True)
        return EXIT_CODE
    return 0


if __name__ == "__main__":
    sys.exit(check_settings())
