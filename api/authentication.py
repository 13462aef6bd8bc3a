"""``Authorization: Bearer hub_…`` (RFC 6750 §2.1), checked against the hashed keys; scopes."""

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from api import conf
from api.models import ApiKey
from api.services.keys import InvalidKey, api_key_check, api_key_touch


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        # Read as the text it is: DRF's get_authorization_header() fails on a character outside
        # ISO-8859-1, which a client (or a fuzzer) may well send.
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not isinstance(header, str) or not header:
            return None
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise exceptions.AuthenticationFailed
        try:
            key = api_key_check(plaintext=value.strip())
        except InvalidKey:
            raise exceptions.AuthenticationFailed from None  # never says which part was wrong
        api_key_touch(key=key)
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def scoped(scope: str) -> type[BasePermission]:
    """A permission: the request's key holds ``scope`` (403 problem otherwise)."""

    class HasScope(BasePermission):
        message = f"Esta chave não tem a permissão {scope}."

        def has_permission(self, request, view) -> bool:
            return isinstance(request.auth, ApiKey) and scope in request.auth.scopes

    HasScope.__name__ = f"HasScope_{scope.replace(':', '_')}"
    return HasScope


class PerKeyThrottle(SimpleRateThrottle):
    """``API_THROTTLE_PER_MINUTE`` requests per key, counted in the cache (Redis)."""

    scope = "api_key"

    def get_rate(self) -> str:
        return f"{conf.get('API_THROTTLE_PER_MINUTE')}/min"

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ApiKey):
            return None
        # The key's public prefix: unique for good, where a row id may be used again.
        return f"api-throttle-{request.auth.prefix}"
