"""/metrics (Prometheus, behind a bearer token) and /readyz (JSON, 503 naming what failed)."""

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from observe.collector import HubCollector
from observe.readiness import OK, SKIPPED, readiness_checks


@require_GET
@never_cache
def metrics(request) -> HttpResponse:
    """Off (404) without ``METRICS_TOKEN``; with it, ``Authorization: Bearer <token>`` or 401."""
    token = getattr(settings, "METRICS_TOKEN", "")
    if not token:
        raise Http404
    sent = request.headers.get("Authorization", "")
    scheme, _, credential = sent.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        credential.strip().encode(), token.encode()
    ):
        # RFC 6750 §3: the challenge a client without the right credential gets.
        response = HttpResponse("unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = CollectorRegistry(auto_describe=False)
    registry.register(HubCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


@require_GET
@never_cache
def readyz(request) -> JsonResponse:
    checks = readiness_checks()
    failed = sorted(name for name, result in checks.items() if result not in (OK, SKIPPED))
    body = {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)
