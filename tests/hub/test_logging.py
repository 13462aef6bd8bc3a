import logging

from config.logging import StripQueryStrings


def test_request_lines_lose_their_query_strings():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /integracoes/magalu/retorno/?code=SECRETCODE&state=SECRETSTATE HTTP/1.1", "302", "0"),
        None,
    )
    StripQueryStrings().filter(record)
    message = record.getMessage()
    assert "SECRETCODE" not in message and "SECRETSTATE" not in message
    assert "/integracoes/magalu/retorno/?…" in message


def _logged_with_traceback(status: int, caplog) -> logging.LogRecord:
    try:
        raise PermissionError("the view refused")
    except PermissionError:
        with caplog.at_level(logging.WARNING, logger="django.request"):
            logging.getLogger("django.request").warning(
                "Refused: %s", "/admin/", exc_info=True, extra={"status_code": status}
            )
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    return record


def test_a_refused_request_is_logged_without_its_traceback(caplog):
    record = _logged_with_traceback(403, caplog)

    assert record.getMessage() == "Refused: /admin/"
    assert record.exc_info is None


def test_a_server_error_keeps_its_traceback(caplog):
    assert _logged_with_traceback(500, caplog).exc_info is not None


def test_django_s_lines_are_printed_once():
    # Django's default console handler would print each django.* line a second time.
    assert logging.getLogger("django").handlers == []
