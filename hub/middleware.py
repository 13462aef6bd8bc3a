"""Refusing input no part of the hub can store or compare, before any view sees it.

PostgreSQL refuses NUL (U+0000) in text, so a NUL in any query or form value reaching a lookup or
a write would end in a 500; no legitimate value of ours contains one (RFC 3986 and HTML forms
never need it). Such a request gets a 400 in pt-BR and changes nothing.
"""

from django.http import HttpRequest, HttpResponse

from hub.request_values import bad_request

NUL = "\x00"


def _has_nul(query_dict) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists()
    )


class RejectNulInput:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            NUL in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            return bad_request(
                request,
                "O pedido contém um caractere inválido (caractere nulo). Nada foi alterado.",
            )
        return self.get_response(request)
