"""Values read from a request's query or form, refused politely when they make no sense."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def single_value(query_dict, name: str) -> str:
    """The one value of ``name``; "" when absent or repeated (which value would be meant?)."""
    given = query_dict.getlist(name)
    return given[0] if len(given) == 1 else ""


def parse_id(raw: str) -> int | None:
    """A positive database id from a query or form value; None for anything else.

    ``str.isdigit`` accepts "²" or "①", which ``int`` refuses: only ASCII digits, and few.
    """
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        return None
    value = int(raw)
    return value if value > 0 else None


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 page that says, in pt-BR, what was wrong and where to go back to."""
    return render(request, "hub/bad_request.html", {"message": message}, status=400)
