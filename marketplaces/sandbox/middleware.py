"""Development only: the hub's pages on the hub's own origin.

The stand-ins answer on their own origin (``MARKETPLACE_SANDBOX_BASE_URL``, 127.0.0.1), as the
real marketplaces do, and the hub on ``SITE_URL`` (localhost), where its session cookie and the
callbacks are. The development server prints the stand-ins' address, so a newcomer may open the
hub there; an authorization started on that origin would come back to the other one, without the
session that started it, and be refused. A person's navigation to a hub page on the stand-ins'
origin is sent to the same page on ``SITE_URL`` instead; anything else (the stand-ins' own pages,
the notifications they push, scripts and probes) is left alone.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


class HubOnItsOwnOrigin:
    def __init__(self, get_response):
        self.get_response = get_response
        self.standins_host = _host(settings.MARKETPLACE_SANDBOX_BASE_URL)
        self.hub_host = _host(settings.SITE_URL)

    def __call__(self, request):
        if (
            self.standins_host != self.hub_host
            and request.method in ("GET", "HEAD")
            # Sec-Fetch-Mode (Fetch Metadata): only a top-level navigation says "navigate".
            and request.headers.get("Sec-Fetch-Mode") == "navigate"
            and not request.path.startswith(("/sandbox/", settings.STATIC_URL))
            and request.get_host().lower() == self.standins_host
        ):
            return HttpResponseRedirect(settings.SITE_URL + request.get_full_path())
        return self.get_response(request)
