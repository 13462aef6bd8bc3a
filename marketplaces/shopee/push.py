"""Shopee's pushes (Open Platform v2, "Push Mechanism", open.shopee.com).

The partner registers one callback URL; Shopee POSTs ``{"shop_id": …, "code": …, "timestamp": …,
"data": {…}}`` signed in the ``Authorization`` header: the hex HMAC-SHA256, keyed by the partner
key, of ``<callback URL>|<body>``. It expects a 2xx with an empty body. Code 3 is an order's
status change (``data``: ``ordersn``, ``status``, ``update_time``); the hub fetches the order
with ``get_order_detail`` and the shop's own token.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import ClassVar

from marketplaces.base.push import (
    NoticeKind,
    PushNotice,
    PushParser,
    PushRejected,
    event_key,
    int_field,
    json_object,
    text_field,
)
from marketplaces.shopee.orders import ORDER_SN
from marketplaces.shopee.signing import push_signature

ORDER_STATUS = 3


class ShopeePushParser(PushParser):
    # The push codes of the "Push Mechanism" page, as the partner console lists them.
    topics: ClassVar = {
        "1": "Loja autorizou o aplicativo",
        "2": "Loja revogou a autorização",
        "3": "Mudança de status de pedido",
        "4": "Código de rastreio do pedido",
        "5": "Avisos da Shopee",
        "6": "Anúncio bloqueado",
        "7": "Promoção de anúncio",
        "8": "Mudança de estoque reservado",
        "9": "Atualização de promoção",
        "10": "Mensagens do chat",
        "11": "Envio de vídeo",
        "12": "Autorização prestes a expirar (7 dias antes)",
        "13": "Resultado do registro de marca",
    }
    # "Return a 2xx status code with an empty body."
    success_status: ClassVar[int] = 204

    def verify(self, *, url: str, headers: Mapping[str, str], body: bytes) -> None:
        key = self.provider.config.client_secret
        given = next(
            (value for name, value in headers.items() if name.lower() == "authorization"), ""
        )
        if not key or not isinstance(given, str) or not given:
            raise PushRejected("Notificação sem assinatura.", status=401)
        expected = push_signature(key, url=url, body=body)
        given_bytes = given.strip().lower().encode("utf-8", "surrogatepass")
        if not hmac.compare_digest(given_bytes, expected.encode()):
            raise PushRejected("Assinatura da notificação inválida.", status=401)

    def parse(self, body: bytes) -> PushNotice:
        notice = json_object(body)
        code = int_field(notice, "code", required=True)
        shop_id = int_field(notice, "shop_id", required=code == ORDER_STATUS, least=1)
        timestamp = int_field(notice, "timestamp")
        data = notice.get("data", {})
        if not isinstance(data, dict):
            raise PushRejected("Campo “data” inválido na notificação.")
        account_id = str(shop_id) if shop_id is not None else ""
        if code != ORDER_STATUS:
            kind = NoticeKind.IGNORED if str(code) in self.topics else NoticeKind.UNKNOWN
            # Nothing in these bodies is documented to identify the event: a retry repeats the
            # signed body byte for byte, so the body itself does.
            digest = hashlib.sha256(bytes(body)).hexdigest()
            key = event_key(code, shop_id, digest)
            return PushNotice(kind, str(code), account_id, "", key, _moment(timestamp))
        order_sn = data.get("ordersn")
        if not isinstance(order_sn, str) or not ORDER_SN.fullmatch(order_sn):
            raise PushRejected("Campo “ordersn” ausente ou inválido na notificação.")
        status = text_field(data, "status", limit=64)
        update_time = int_field(data, "update_time")
        return PushNotice(
            kind=NoticeKind.ORDER,
            topic=str(code),
            account_id=account_id,
            resource_id=order_sn,
            # One status change of one order: its number, the status and when it took it. A
            # retry carries the same three (its own ``timestamp`` may differ).
            dedup_key=event_key(code, shop_id, order_sn, status, update_time),
            sent_at=_moment(timestamp),
        )


def _moment(seconds: int | None) -> datetime | None:
    """When Shopee sent the push (Unix seconds), when it is a plausible moment."""
    if seconds is None or not 0 < seconds < 10**11:
        return None
    return datetime.fromtimestamp(seconds, UTC)
