"""Mercado Livre's notifications (developers.mercadolivre.com.br, "Receba notificações").

The application's registration names one callback URL and the topics it wants; Mercado Livre
POSTs ``{"resource": "/orders/123", "user_id": 456, "topic": "orders_v2", "application_id": …,
"attempts": 1, "sent": …, "received": …}`` and expects HTTP 200 within 500 ms, else it retries
(``attempts`` grows) and may switch the topics off. The body only points at the resource: the
hub fetches the order with the account's own token.

Notifications come from a set of addresses Mercado Livre publishes in its docs (secondary
sources; not confirmed here): a deployment may list them in ``MERCADOLIVRE_PUSH_SOURCES`` (CIDRs,
comma separated) and the endpoint refuses any other sender; unset, the source is not checked.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from marketplaces.base.push import (
    NoticeKind,
    PushNotice,
    PushParser,
    PushRejected,
    event_key,
    json_object,
    parse_sent_at,
)

# "orders_v2" is the topic the docs recommend; "orders" is its documented predecessor.
ORDER_TOPICS = frozenset({"orders_v2", "orders"})
ORDER_RESOURCE = re.compile(r"/orders/([0-9]{1,20})")
# Ids are positive numbers (the token response's user_id, the application's client id).
MAX_ID = 10**19
MAX_TEXT = 200


class MercadoLivrePushParser(PushParser):
    topics: ClassVar = {
        "orders_v2": "Criação e alterações de vendas confirmadas",
        "orders": "Alterações de vendas (tópico antigo)",
        "created_orders": "Vendas recém-criadas, ainda não confirmadas",
        "items": "Alterações de anúncios",
        "questions": "Perguntas e respostas",
        "payments": "Pagamentos das vendas",
        "shipments": "Envios das vendas",
        "messages": "Mensagens pós-venda",
        "pictures": "Imagens que não puderam ser baixadas",
        "quotations": "Cotações",
        "invoices": "Notas fiscais",
        "claims": "Reclamações",
        "item_competition": "Competição de anúncios",
        "stock_fulfillment": "Estoque no Full",
        "best_price_eligible": "Elegibilidade a melhor preço",
        "items_prices": "Preços dos anúncios",
    }

    def parse(self, body: bytes) -> PushNotice:
        notice = json_object(body)
        topic = _text(notice, "topic")
        resource = _text(notice, "resource")
        user_id = _number(notice, "user_id", required=True)
        _number(notice, "application_id")
        _number(notice, "attempts")
        received = _text(notice, "received")
        sent = _text(notice, "sent")
        if topic in ORDER_TOPICS:
            match = ORDER_RESOURCE.fullmatch(resource)
            if match is None:
                raise PushRejected("Recurso de pedido inválido na notificação.")
            kind, resource_id = NoticeKind.ORDER, match.group(1)
        elif topic in self.topics:
            kind, resource_id = NoticeKind.IGNORED, ""
        else:
            kind, resource_id = NoticeKind.UNKNOWN, ""
        return PushNotice(
            kind=kind,
            topic=topic,
            account_id=str(user_id),
            resource_id=resource_id,
            # A retry repeats the notification with ``attempts`` increased and a new ``sent``
            # (when this delivery left); ``received`` is when Mercado Livre recorded the event,
            # so it stays with the event. The same resource changed again is another event with
            # another ``received``.
            dedup_key=event_key(topic, resource, user_id, received),
            sent_at=parse_sent_at(sent),
        )


def _text(notice: dict, name: str) -> str:
    value = notice.get(name)
    if not isinstance(value, str) or not 0 < len(value.strip()) <= MAX_TEXT:
        raise PushRejected(f"Campo “{name}” ausente ou inválido na notificação.")
    return value.strip()


def _number(notice: dict, name: str, *, required: bool = False) -> int | None:
    value: Any = notice.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < MAX_ID:
        raise PushRejected(f"Campo “{name}” ausente ou inválido na notificação.")
    return value
