"""The default mailer from ``EMAIL_URL``.

django-environ parses the URL into Django's old ``EMAIL_*`` names; Django 6.1's ``MAILERS`` wants
each backend's own ``OPTIONS`` and refuses unknown ones, so each backend gets exactly what it takes.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

SMTP = "django.core.mail.backends.smtp.EmailBackend"
FILE = "django.core.mail.backends.filebased.EmailBackend"
# What the SMTP backend also takes from the query string, e.g. smtp+tls://…:587?timeout=30.
_SMTP_QUERY_OPTIONS = {"timeout", "ssl_keyfile", "ssl_certfile"}
_SMTP_TIMEOUT_SECONDS = 10.0


def _flag(value: object) -> bool:
    # ?email_use_tls=true reaches us as the string "true".
    return value is True or str(value).lower() in {"1", "true", "yes", "on"}


def mailer_from_url(url: str, *, base_dir: Path) -> dict:
    """A ``MAILERS`` entry for any django-environ e-mail scheme: smtp, smtps, smtp+tls, smtp+ssl,
    consolemail, filemail, memorymail, dummymail."""
    config = environ.Env.email_url_config(url)
    backend = config["EMAIL_BACKEND"]
    query = {key.lower(): value for key, value in config.get("OPTIONS", {}).items()}
    unknown = query.keys() - (_SMTP_QUERY_OPTIONS if backend == SMTP else set())
    if unknown:
        raise ImproperlyConfigured(
            f"EMAIL_URL: unknown option(s) {', '.join(sorted(unknown))}; only smtp URLs take "
            f"options ({', '.join(sorted(_SMTP_QUERY_OPTIONS))})."
        )
    if backend == SMTP:
        options = {
            "host": config["EMAIL_HOST"],
            "port": config["EMAIL_PORT"],  # None: Django picks 25, 587 (TLS) or 465 (SSL)
            "username": config["EMAIL_HOST_USER"],
            "password": config["EMAIL_HOST_PASSWORD"],
            "use_tls": _flag(config.get("EMAIL_USE_TLS", False)),
            "use_ssl": _flag(config.get("EMAIL_USE_SSL", False)),
            "timeout": float(query.pop("timeout", _SMTP_TIMEOUT_SECONDS)),
        }
        return {"BACKEND": backend, "OPTIONS": options | query}
    if backend == FILE:
        if not config["EMAIL_FILE_PATH"]:
            raise ImproperlyConfigured(
                "EMAIL_URL: filemail needs a directory, e.g. filemail:////var/mail/hub."
            )
        # django-environ drops the path's first slash, as for sqlite URLs: filemail:////abs/dir
        # is absolute, filemail:///var/mail is inside the project (never the working directory).
        return {
            "BACKEND": backend,
            "OPTIONS": {"file_path": str(base_dir / config["EMAIL_FILE_PATH"])},
        }
    return {"BACKEND": backend, "OPTIONS": {}}


def counted(mailer: dict) -> dict:
    """The ``MAILERS`` entry that sends through ``mailer`` and counts what it sent (the metrics'
    e-mail counter, ``observe.mail.CountingBackend``, named here, not imported)."""
    return {
        "BACKEND": "observe.mail.CountingBackend",
        "OPTIONS": {"backend": mailer["BACKEND"], "options": mailer.get("OPTIONS", {})},
    }
