"""The OpenAPI 3 schema and a documentation page that works offline.

drf-spectacular's Swagger UI and Redoc load their scripts from a CDN, which the hub's Content
Security Policy (``script-src 'self'``) and an offline install both refuse; this page is plain
HTML rendered on the server from the same schema, with no script at all.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView

from api.problems import problem_exception_handler


class SchemaView(SpectacularAPIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = []

    def get_exception_handler(self):
        return problem_exception_handler


def _operations(schema: dict) -> list[dict]:
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = [
                {
                    "name": parameter["name"],
                    "type": parameter.get("schema", {}).get("type", ""),
                    "description": parameter.get("description", ""),
                }
                for parameter in operation.get("parameters", [])
            ]
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                }
            )
    return operations


@require_GET
def docs_page(request):
    schema = SchemaGenerator(urlconf="api.urls").get_schema(request=None, public=True)
    return render(
        request,
        "api/docs.html",
        {"schema": schema, "operations": _operations(schema)},
    )
