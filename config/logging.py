"""Logging helpers. Query strings can carry OAuth codes and states: they never reach a log.

Log lines are a dotted event name plus the ids a caller passed in ``extra``; the formatters here
print those fields (``LOG_FORMAT``: ``keyvalue`` or ``json``), redacting any that may be a secret.
"""

import json
import logging
import re
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured

_QUERY = re.compile(r"\?[^\s\"]*")


class StripQueryStrings(logging.Filter):
    """Removes ``?…`` from request lines (the dev server's access log, for instance)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("?…", record.msg)
        if record.args:
            record.args = (
                tuple(_QUERY.sub("?…", arg) if isinstance(arg, str) else arg for arg in record.args)
                if isinstance(record.args, tuple)
                else record.args
            )
        return True


class ClientErrorsWithoutTraceback(logging.Filter):
    """Keeps a 4xx's line and drops its traceback: Django logs a refused request (a 403, a 400
    for a bad request) with the exception that produced it, and for the client's mistake the
    stack says nothing the line does not."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info, record.exc_text = None, None
        return True


_STANDARD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
# Django's own extras: the request object (its repr holds the full path, query string included)
# and the dev server's second timestamp.
_NOT_FIELDS = frozenset({"request", "server_time"})
# A field whose name contains one of these is printed as [redacted], however harmless its value
# looks: a refresh token under "refresh_token", an OAuth code under "code", a client secret...
_SECRET_WORDS = ("token", "secret", "code", "password", "authorization")
# ...except these names, known to hold no secret: an OAuth error code (RFC 6749 §5.2) and an
# HTTP status.
_SAFE_NAMES = frozenset({"error_code", "status_code"})
REDACTED = "[redacted]"


def extra_fields(record: logging.LogRecord) -> dict[str, object]:
    """What the caller passed in ``extra``, secrets redacted."""
    fields = {}
    for key, value in vars(record).items():
        if key in _STANDARD_ATTRIBUTES or key in _NOT_FIELDS or key.startswith("_"):
            continue
        lowered = key.lower()
        if lowered not in _SAFE_NAMES and any(word in lowered for word in _SECRET_WORDS):
            fields[key] = REDACTED
        elif isinstance(value, str | int | float | bool | None):
            fields[key] = _QUERY.sub("?…", value) if isinstance(value, str) else value
        else:
            fields[key] = _QUERY.sub("?…", str(value))
    return fields


def _logfmt(value: object) -> str:
    text = str(value)
    if text and not re.search(r"[\s\"'=\\]", text):
        return text
    return json.dumps(text, ensure_ascii=False)  # quoted, inner quotes and newlines escaped


class KeyValueFormatter(logging.Formatter):
    """``<time> <LEVEL> <logger> <event> key=value …``; a traceback follows on its own lines."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        pairs = "".join(f" {k}={_logfmt(v)}" for k, v in extra_fields(record).items())
        return super().formatMessage(record) + pairs


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, the extra fields, exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in extra_fields(record).items():
            line.setdefault(key, value)
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False)


FORMATS = {"keyvalue": KeyValueFormatter, "json": JsonFormatter}


def formatter_config(log_format: str) -> dict:
    """The ``LOGGING["formatters"]`` entry for ``LOG_FORMAT``."""
    if log_format not in FORMATS:
        raise ImproperlyConfigured(
            f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}."
        )
    return {"()": f"{__name__}.{FORMATS[log_format].__qualname__}"}
