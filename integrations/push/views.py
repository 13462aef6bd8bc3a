"""The one endpoint every pushing marketplace posts to: ``POST /push/<key>/``.

It answers within the marketplaces' budgets (the strictest documented is 500 ms) by doing only
what must be done before an acknowledgement: the method, the size, the sender's address and rate,
the marketplace's own check of the request, the parse, and one INSERT committed before the 2xx.
The fetch of what the notification points at is a worker's (integrations.push.services.drain).

No session, no login, no CSRF token: the marketplace is not a browser, and the parser's check
(a signature where the marketplace signs) is what authenticates it. Bad input is a 4xx with a
pt-BR line for the sender's logs; only the database being down is a 5xx (a 503: try again).
"""

import logging

from axes.helpers import get_client_ip_address
from django.db import InterfaceError, OperationalError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from integrations.push import conf
from integrations.push.services.intake import notification_keep
from integrations.push.services.pace import drain_soon, retry_after
from marketplaces import enabled_marketplaces, parser_for
from marketplaces.base.push import PushNotice, PushParser, PushRejected

logger = logging.getLogger(__name__)


@csrf_exempt
@transaction.non_atomic_requests  # the INSERT commits on its own, before the answer, always
def receive(request: HttpRequest, key: str) -> HttpResponse:
    parser = _parser(key)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    limit = conf.max_body_bytes()
    if _declared_length(request) > limit:
        return _refused(key, "Notificação grande demais.", status=413)
    source = get_client_ip_address(request) or ""
    try:
        parser.check_source(source)
    except PushRejected as exc:
        return _refused(key, str(exc), status=exc.status)
    if (wait := retry_after(source or "unknown")) is not None:
        response = _refused(key, "Muitas notificações desta origem; tente de novo.", status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        body = request.read(limit + 1)  # never more than the cap, whatever the header said
    except OSError:
        return _refused(key, "Corpo da notificação ilegível.", status=400)
    if len(body) > limit:
        return _refused(key, "Notificação grande demais.", status=413)
    try:
        notice = _checked(parser, request.build_absolute_uri(), request.headers, body)
        kept = notification_keep(marketplace=key, notice=notice, body=body, source=source)
    except PushRejected as exc:
        status = exc.status if 400 <= exc.status < 500 else 400
        return _refused(key, str(exc), status=status)
    except (OperationalError, InterfaceError):
        # The database is down: nothing was kept, so nothing may be acknowledged. The
        # marketplace retries a 503 (RFC 9110 §15.6.4).
        logger.exception("push.notification.unavailable", extra={"marketplace": key})
        response = _refused(key, "Indisponível no momento; tente de novo.", status=503)
        response["Retry-After"] = "30"
        return response
    if kept is not None and kept.state == kept.State.PENDING:
        drain_soon()
    logger.info(
        "push.notification.received",
        extra={
            "marketplace": key,
            "notification_id": kept.pk if kept else None,
            "duplicate": kept is None,
            "topic": notice.topic[:64],
            "kind": str(notice.kind),
        },
    )
    return HttpResponse(status=parser.success_status)


def _parser(key: str) -> PushParser:
    """The marketplace's parser; 404 for a key no marketplace pushes on."""
    parser = parser_for(key) if key in enabled_marketplaces() else None
    if parser is None:
        raise Http404
    return parser


def _checked(parser: PushParser, url: str, headers, body: bytes) -> PushNotice:
    """The marketplace's check of the request, then its reading of the body. A parser that
    breaks on some input is a bug to fix, logged as one; the sender gets a 400, never a 500."""
    try:
        parser.verify(url=url, headers=headers, body=body)
        return parser.parse(body)
    except PushRejected:
        raise
    except Exception as exc:
        logger.exception("push.parser.failed", extra={"parser": type(parser).__name__})
        raise PushRejected("Notificação ilegível.") from exc


def _declared_length(request: HttpRequest) -> int:
    raw = request.META.get("CONTENT_LENGTH") or "0"
    return int(raw) if raw.isascii() and raw.isdigit() else 0


def _refused(key: str, message: str, *, status: int) -> HttpResponse:
    logger.info("push.notification.refused", extra={"marketplace": key, "status": status})
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
