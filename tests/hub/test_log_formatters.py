"""Operator log lines keep the ids passed in ``extra`` (LOG_FORMAT keyvalue or json), never secrets."""

import io
import json
import logging

import pytest

from config.logging import JsonFormatter, KeyValueFormatter
from tests.hub.production import run_with_settings

MISCONFIGURED = {"integration_id": 1, "marketplace": "x", "error_code": "invalid_client"}
SECRETS = {
    "refresh_token": "RT-SECRET",
    "Authorization": "Bearer AT-SECRET",
    "code": "CODE-SECRET",
    "client_secret": "CS-SECRET",
    "new_password": "PW-SECRET",
}


@pytest.fixture
def emit():
    """Logs one record through a formatter and returns what the handler wrote."""

    def emit(formatter, level, event, *, extra=None, exc_info=None):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
        logger = logging.getLogger("integrations.services.refresh")
        logger.addHandler(handler)
        try:
            logger.log(level, event, extra=extra, exc_info=exc_info)
        finally:
            logger.removeHandler(handler)
        return stream.getvalue()

    return emit


def test_keyvalue_lines_keep_the_ids(emit):
    line = emit(
        KeyValueFormatter(),
        logging.ERROR,
        "integrations.refresh.misconfigured",
        extra=MISCONFIGURED,
    )
    assert line.endswith(
        " ERROR integrations.services.refresh integrations.refresh.misconfigured"
        " integration_id=1 marketplace=x error_code=invalid_client\n"
    )


def test_keyvalue_quotes_values_with_spaces_or_quotes(emit):
    line = emit(
        KeyValueFormatter(), logging.INFO, "evt", extra={"why": 'a "b" c', "empty": "", "n": None}
    )
    assert line.rstrip("\n").endswith(' evt why="a \\"b\\" c" empty="" n=None')


def test_json_lines_parse_and_keep_the_ids(emit):
    line = emit(
        JsonFormatter(), logging.ERROR, "integrations.refresh.misconfigured", extra=MISCONFIGURED
    )
    assert line.count("\n") == 1
    parsed = json.loads(line)
    assert parsed.pop("time").endswith("+00:00")
    assert parsed == {
        "level": "ERROR",
        "logger": "integrations.services.refresh",
        "event": "integrations.refresh.misconfigured",
        **MISCONFIGURED,
    }


@pytest.mark.parametrize("formatter", [KeyValueFormatter(), JsonFormatter()])
def test_token_looking_fields_are_redacted(emit, formatter):
    extra = {
        **SECRETS,
        "status_code": 400,
        "error_code": "invalid_grant",
        "path": "/cb/?code=Q-SECRET",
    }
    output = emit(formatter, logging.WARNING, "evt", extra=extra)
    assert "SECRET" not in output
    for key in SECRETS:
        assert f"{key}=[redacted]" in output or f'"{key}": "[redacted]"' in output
    assert "invalid_grant" in output and "400" in output
    assert "/cb/?…" in output


def test_djangos_request_object_is_not_printed(emit):
    class Request:
        def __repr__(self):
            return "<WSGIRequest: GET '/cb/?code=SECRET'>"

    line = emit(
        KeyValueFormatter(),
        logging.WARNING,
        "Not Found",
        extra={"request": Request(), "status_code": 404},
    )
    assert "SECRET" not in line and "WSGIRequest" not in line
    assert line.rstrip("\n").endswith(" Not Found status_code=404")


@pytest.mark.parametrize("formatter", [KeyValueFormatter(), JsonFormatter()])
def test_an_exceptions_traceback_is_kept(emit, formatter):
    try:
        raise ValueError("boom")
    except ValueError as exc:
        output = emit(
            formatter,
            logging.ERROR,
            "integrations.keeper.sweep_failed",
            extra={"sweep": "refresh"},
            exc_info=exc,
        )
    if isinstance(formatter, JsonFormatter):
        parsed = json.loads(output)
        assert parsed["sweep"] == "refresh"
        output = parsed["exc_info"]
    else:
        first, *rest = output.splitlines()
        assert first.endswith("integrations.keeper.sweep_failed sweep=refresh")
        assert rest[0] == "Traceback (most recent call last):"
    assert "Traceback (most recent call last):" in output
    assert output.rstrip().endswith("ValueError: boom")


_LOG_ONE_LINE = (
    "import django, logging; django.setup();"
    "logging.getLogger('integrations.services.refresh').error("
    "'integrations.refresh.misconfigured', extra={'integration_id': 1, 'marketplace': 'x',"
    " 'error_code': 'invalid_client', 'access_token': 'AT-SECRET'})"
)


def test_the_settings_print_the_extra_fields_in_either_format():
    keyvalue = run_with_settings(_LOG_ONE_LINE)
    assert keyvalue.returncode == 0, keyvalue.stderr
    assert keyvalue.stderr.rstrip("\n").endswith(
        "integrations.refresh.misconfigured integration_id=1 marketplace=x"
        " error_code=invalid_client access_token=[redacted]"
    )
    as_json = run_with_settings(_LOG_ONE_LINE, LOG_FORMAT="json")
    assert as_json.returncode == 0, as_json.stderr
    parsed = json.loads(as_json.stderr.strip().splitlines()[-1])
    assert (parsed["event"], parsed["integration_id"], parsed["access_token"]) == (
        "integrations.refresh.misconfigured",
        1,
        "[redacted]",
    )


def test_an_unknown_log_format_stops_the_start():
    result = run_with_settings("import django; django.setup()", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be one of keyvalue, json, not 'xml'" in result.stderr
