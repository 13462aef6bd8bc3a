"""Logging helpers. Query strings can carry OAuth codes and states: they never reach a log."""

import logging
import re

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
