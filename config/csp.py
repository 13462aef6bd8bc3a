"""The Content-Security-Policy, in one place (Django's built-in CSP middleware enforces it)."""

from urllib.parse import urlsplit

from django.utils.csp import CSP


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(*, oauth_urls: list[str]) -> dict[str, list[str]]:
    """No inline code, no third-party resources. ``form-action`` also names the OAuth origins:
    Chromium applies it to the redirects that follow a form post ("Sim" → the consent page, and
    the stand-in's "Continuar" → the hub's callback)."""
    oauth_origins = sorted({origin(url) for url in oauth_urls if url})
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF],
        "style-src": [CSP.SELF],
        "img-src": [CSP.SELF, "data:"],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.NONE],
        "frame-ancestors": [CSP.NONE],
        "form-action": [CSP.SELF, *oauth_origins],
    }
