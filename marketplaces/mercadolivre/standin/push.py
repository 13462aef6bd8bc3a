"""Mercado Livre's notifications, as the stand-in sends them (developers.mercadolivre.com.br,
"Receba notificações"): the body only points at the resource, the hub fetches it.

``{"_id", "resource": "/orders/<id>", "user_id", "topic": "orders_v2", "application_id",
"attempts", "sent", "received"}``: ``received`` is when Mercado Livre recorded the event and stays
with it across retries; ``sent`` and ``attempts`` are the delivery's own. An unanswered
notification (no HTTP 200 within 500 ms) is retried about 8 times over an hour (compressed here
for development) and too many failures switch the application's topics off.
"""

import json
from datetime import UTC, datetime

from marketplaces.mercadolivre.standin import conf, views_api
from marketplaces.mercadolivre.standin.directory import user_by_id
from marketplaces.sandbox import orders
from marketplaces.sandbox.models import SandboxOrderFeed, SandboxPushMessage
from marketplaces.sandbox.push_conf import PushSender

TOPIC = "orders_v2"
# Mercado Livre's application ids are numbers (the client_id); the stand-in's default client_id
# is not one, so its application has this number unless the hub's client_id is numeric.
STAND_IN_APPLICATION_ID = 5503910054141466
# About 8 retries over an hour at Mercado Livre; here the same 8 within about 4 minutes.
RETRY_SCHEDULE = (2, 4, 8, 15, 30, 45, 60, 90)
DISABLE_AFTER_FAILURES = 30


def application_id() -> int:
    client_id = conf.client_id()
    if client_id.isdigit():
        return int(client_id)
    return int(conf.STAND_IN.setting("APPLICATION_ID", STAND_IN_APPLICATION_ID))


def _feed(account_id: str, now: datetime) -> SandboxOrderFeed | None:
    user = user_by_id(account_id)
    if user is None or user.is_operator:
        return None  # an operator's grant reads no orders: nothing of it is notified
    return orders.ensure_orders(views_api.ORDERS, account_id, now=now)


def _moment(moment: datetime) -> str:
    """Mercado Livre's notification times: UTC with milliseconds, "2019-10-30T16:19:20.129Z"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def notification(message: SandboxPushMessage, *, sent_at: datetime | None = None) -> dict:
    """The notification's body; ``sent_at`` None: its last delivery's (the missed feeds)."""
    sent = sent_at or message.last_attempt_at or message.created_at
    return {
        "_id": message.event_id,
        "resource": f"/orders/{message.order_id}",
        "user_id": int(message.account_id),
        "topic": TOPIC,
        "application_id": application_id(),
        "attempts": max(1, message.attempts),
        "sent": _moment(sent),
        "received": _moment(message.created_at),
    }


def _delivery(message: SandboxPushMessage, url: str, now: datetime) -> tuple[bytes, dict]:
    return json.dumps(notification(message, sent_at=now)).encode(), {}


SENDER = PushSender(
    stand_in=conf.STAND_IN,
    feed=_feed,
    notifies=lambda status: True,  # orders_v2: the creation and every change of a sale
    delivery=_delivery,
    retry_schedule=RETRY_SCHEDULE,
    disable_after_failures=DISABLE_AFTER_FAILURES,
    # "Answer HTTP 200 within 500 ms", or the notification counts as failed.
    timeout_seconds=0.5,
)
