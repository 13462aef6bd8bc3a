"""Mercado Livre's notifications (developers.mercadolivre.com.br, "Receba notificações").

The application's registration names one callback URL and the topics it wants; Mercado Livre
POSTs ``{"resource": "/orders/123", "user_id": 456, "topic": "orders_v2", "application_id": …,
"attempts": 1, "sent": …, "received": …}`` and expects HTTP 200 within 500 ms, else it retries
(``attempts`` grows) and may switch the topics off. The body only points at the resource: the
hub fetches the order with the account's own token.

Notifications come from a set of addresses Mercado Livre publishes with the notifications docs;
integrators quote 54.88.218.97, 18.215.140.160, 18.213.114.129 and 18.206.34.84 (secondary
sources, not confirmed here, and such lists change). A deployment that has checked the current
list sets ``MERCADOLIVRE_PUSH_SOURCES`` (CIDRs, comma separated: ``54.88.218.97/32,…``) and the
endpoint refuses any other sender; unset (the default), the source is not checked.
"""

from __future__ import annotations

import re
from typing import ClassVar

from marketplaces.base.push import (
    NoticeKind,
    PushNotice,
    PushParser,
    PushRejected,
    event_key,
    int_field,
    json_object,
    parse_sent_at,
    text_field,
)
from marketplaces.mercadolivre.orders import ORDER_ID

# "orders_v2" is the topic the docs recommend; "orders" is its documented predecessor.
ORDER_TOPICS = frozenset({"orders_v2", "orders"})
ORDER_RESOURCE = re.compile(rf"/orders/({ORDER_ID.pattern})")


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
        topic = text_field(notice, "topic", limit=64)
        resource = text_field(notice, "resource")
        user_id = int_field(notice, "user_id", required=True, least=1)
        int_field(notice, "application_id", least=1)
        int_field(notice, "attempts", least=1)
        received = text_field(notice, "received")
        sent = text_field(notice, "sent")
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
