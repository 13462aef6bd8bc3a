"""The Content-Security-Policy with the marketplaces' consent pages in ``form-action``.

Chromium applies ``form-action`` to the redirects that follow a form post ("Sim" goes to the
consent page; a stand-in's "Continuar" comes back to the callback), so those origins join the
project's policy; they come from each marketplace's configuration, read at run time.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csp import ContentSecurityPolicyMiddleware

from marketplaces import consent_form_actions


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class ConsentPagesCSPMiddleware(ContentSecurityPolicyMiddleware):
    def process_response(self, request, response):
        if getattr(response, "_csp_config", None) is None and settings.SECURE_CSP:
            policy = dict(settings.SECURE_CSP)
            extra = sorted({origin(url) for url in consent_form_actions() if url})
            policy["form-action"] = [*policy.get("form-action", []), *extra]
            response._csp_config = policy
        return super().process_response(request, response)
