"""How drf-spectacular describes the API's authentication and each operation's scope."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Uma chave de API da empresa: Authorization: Bearer hub_…",
        }


class ScopedAutoSchema(AutoSchema):
    """Names the permission (scope) each operation needs in its description."""

    def get_description(self) -> str:
        scope = getattr(self.view, "scope", "")
        base = super().get_description() or ""
        return f"Permissão necessária: {scope}. {base}".strip() if scope else base
