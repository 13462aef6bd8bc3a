"""Errors as problem details (RFC 9457): ``application/problem+json``, pt-BR title and detail."""

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Requisição inválida",
    401: "Autenticação necessária",
    403: "Permissão insuficiente",
    404: "Não encontrado",
    405: "Método não permitido",
    406: "Formato não disponível",
    415: "Tipo de conteúdo não aceito",
    429: "Muitas requisições",
}


def problem(*, status: int, detail: str, instance: str = "", **extra) -> dict:
    body = {"type": "about:blank", "title": TITLES.get(status, "Erro"), "status": status}
    body["detail"] = detail
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def _detail(exc: exceptions.APIException) -> tuple[str, dict]:
    if isinstance(exc, exceptions.NotAuthenticated):
        return "Envie a chave de API no cabeçalho Authorization: Bearer <chave>.", {}
    if isinstance(exc, exceptions.AuthenticationFailed):
        return "A chave de API é inválida ou foi revogada.", {}
    if isinstance(exc, exceptions.Throttled):
        return f"Limite de requisições desta chave atingido. Tente de novo em {exc.wait:.0f} s.", {}
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "Este endereço só aceita GET.", {}
    if isinstance(exc, exceptions.NotFound):
        return "Nada foi encontrado neste endereço.", {}
    if isinstance(exc, exceptions.ValidationError):
        return "Um ou mais parâmetros são inválidos.", {"errors": exc.detail}
    return str(exc.detail), {}


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500, logged
    request = context.get("request")
    detail, extra = _detail(exc)
    response.data = problem(
        status=response.status_code,
        detail=detail,
        instance=request.path if request is not None else "",
        **extra,
    )
    response.content_type = PROBLEM_JSON
    return response


def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other path under /api/: a problem, not the HTML 404 page."""
    body = problem(status=404, detail="Nada foi encontrado neste endereço.", instance=request.path)
    return JsonResponse(body, status=404, content_type=PROBLEM_JSON)
