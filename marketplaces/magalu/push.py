"""Magalu's order webhooks (developers.magalu.com, "seller-pedidos/webhooks").

Magalu POSTs ``{"data": {"status": "new|approved|cancelled|finished", "params": {"id": …},
"resource": …}}`` for orders, and the same shape for deliveries (shipped, approved, cancelled,
delivered). Subscriptions are set up through Magalu's developer onboarding. Nothing we hold
documents a signature, the retry policy or how the account is named, so the body is only a hint:
the hub fetches the order with the account's own token.

ASSUMPTION (not confirmed by Magalu's docs): the store (the ID Magalu tenant the seller chose)
is named by a ``tenant_id`` member (its uuid), on the body or in ``data``; ID Magalu names
tenants by uuid everywhere else (the access token's ``tenant`` claim, whoami/tenants). A
notice naming none is still accepted and kept, with no account, for support to look at: it is
never matched to an account on a guess.
"""

from __future__ import annotations

import hashlib
from typing import ClassVar

from marketplaces.base.push import (
    NoticeKind,
    PushNotice,
    PushParser,
    PushRejected,
    event_key,
    json_object,
    text_field,
)
from marketplaces.magalu.orders import ORDER_ID

TENANT_FIELD = "tenant_id"
# The resource's last word (a path like "/seller/v1/orders/<id>", or a bare name).
ORDER_RESOURCES = frozenset({"order", "orders"})
DELIVERY_RESOURCES = frozenset({"delivery", "deliveries"})


class MagaluPushParser(PushParser):
    topics: ClassVar = {
        "orders": "Pedido criado ou com status alterado (new, approved, cancelled, finished)",
        "deliveries": "Entrega com status alterado (shipped, approved, cancelled, delivered)",
    }

    def parse(self, body: bytes) -> PushNotice:
        notice = json_object(body)
        data = notice.get("data")
        if not isinstance(data, dict):
            raise PushRejected("Campo “data” ausente ou inválido na notificação.")
        resource, status = text_field(data, "resource"), text_field(data, "status")
        params = data.get("params")
        if not isinstance(params, dict):
            raise PushRejected("Campo “params” ausente ou inválido na notificação.")
        resource_id = params.get("id")
        if not isinstance(resource_id, str) or not ORDER_ID.fullmatch(resource_id):
            raise PushRejected("Campo “id” ausente ou inválido na notificação.")
        word = _resource_word(resource, resource_id)
        if word in ORDER_RESOURCES:
            kind, topic = NoticeKind.ORDER, "orders"
        elif word in DELIVERY_RESOURCES:
            kind, topic = NoticeKind.IGNORED, "deliveries"
        else:
            # Kept whole in the stored body; the topic column holds its first 64 characters.
            kind, topic = NoticeKind.UNKNOWN, resource[:64]
        return PushNotice(
            kind=kind,
            topic=topic,
            account_id=_tenant(notice, data),
            resource_id=resource_id if kind == NoticeKind.ORDER else "",
            # Nothing documented identifies an event (no id, no timestamp): an identical body is
            # taken for a retry of the same event; any difference keeps both (a duplicate only
            # costs one more read of the order, a lost event a late one).
            dedup_key=event_key(topic, resource_id, status, hashlib.sha256(body).hexdigest()),
        )


def _resource_word(resource: str, resource_id: str) -> str:
    """The collection a resource names: "/seller/v1/orders/<id>" and "orders" name orders."""
    segments = [s for s in resource.lower().split("/") if s]
    if segments and segments[-1] == resource_id.lower():
        segments.pop()
    return segments[-1] if segments else ""


def _tenant(notice: dict, data: dict) -> str:
    """The assumed tenant uuid (see the module's docstring), or "" when the notice names none
    we can read: the worker then keeps it as an unknown account."""
    for holder in (notice, data):
        value = holder.get(TENANT_FIELD)
        # A uuid has the shape of a safe id; nothing else is taken.
        if isinstance(value, str) and ORDER_ID.fullmatch(value.strip()):
            return value.strip()
    return ""
