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
