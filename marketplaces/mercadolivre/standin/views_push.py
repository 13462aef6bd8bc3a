"""Mercado Livre's notification side of the API: ``GET /missed_feeds`` (developers.mercadolivre
.com.br, "Receba notificações", "Histórico das notificações"): the application's notifications
not acknowledged with HTTP 200 in the last two days, paged with ``offset`` and ``limit``, for a
token of any account that authorized the application. And the switch of the stand-in's home
page that turns the application's topics off, as Mercado Livre does after too many failures."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from marketplaces.mercadolivre.standin import conf, push
from marketplaces.mercadolivre.standin.views_api import _error, _user_gate
from marketplaces.sandbox import http, outbox
from marketplaces.sandbox.missed import missed_page

MAX_LIMIT = 50


@require_GET
def missed_feeds(request: HttpRequest) -> HttpResponse:
    early, _user, fault = _user_gate(request)
    if early is not None:
        return early
    app_id = request.GET.get("app_id", "")
    if not app_id:
        return _error(400, "bad_request", "app_id is required")
    if app_id not in (str(push.application_id()), conf.client_id()):
        return _error(403, "forbidden", "the app_id is not the token's application")
    limit = http.int_param(request, "limit", 10, low=1, high=MAX_LIMIT)
    offset = http.int_param(request, "offset", 0, low=0, high=10**9)
    topic = request.GET.get("topic", "")
    if topic and topic != push.TOPIC:
        rows, total = [], 0  # the stand-in notifies orders only
    else:
        rows, total = missed_page(conf.KEY, offset=offset, limit=limit)
    body = {
        "messages": [push.notification(row) for row in rows],
        "paging": {"total": total, "offset": offset, "limit": limit},
    }
    return http.answer(request, body, fault)


@require_POST
def topics(request: HttpRequest) -> HttpResponse:
    """The home page's switch: the application's topics off (nothing sent) or on again."""
    enabled = request.POST.get("topics") == "on"
    outbox.set_topics(conf.KEY, enabled=enabled, reason="desativados na página do simulador")
    return redirect("sandbox:mercadolivre:home")
