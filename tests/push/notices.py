"""Parsers over test configurations and real-shaped notification bodies, for the push tests."""

import hashlib
import hmac
import json

from marketplaces.magalu.config import MagaluConfig
from marketplaces.magalu.provider import MagaluProvider
from marketplaces.magalu.push import MagaluPushParser
from marketplaces.mercadolivre.config import MercadoLivreConfig
from marketplaces.mercadolivre.provider import MercadoLivreProvider
from marketplaces.mercadolivre.push import MercadoLivrePushParser
from marketplaces.shopee.config import ShopeeConfig
from marketplaces.shopee.provider import ShopeeProvider
from marketplaces.shopee.push import ShopeePushParser

PARTNER_KEY = "shpk-partner-key"
SHOPEE_URL = "https://hub.example.com.br/push/shopee/"
TENANT = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000101"


def ml(**config) -> MercadoLivrePushParser:
    provider = MercadoLivreProvider(
        MercadoLivreConfig(client_id="1", client_secret="s", redirect_uri="https://h/", **config)
    )
    return MercadoLivrePushParser(provider)


def magalu() -> MagaluPushParser:
    config = MagaluConfig(client_id="c", client_secret="s", redirect_uri="https://h/", scopes=())
    return MagaluPushParser(MagaluProvider(config))


def shopee(partner_key: str = PARTNER_KEY) -> ShopeePushParser:
    config = ShopeeConfig(client_id="2001", client_secret=partner_key, redirect_uri="https://h/")
    return ShopeePushParser(ShopeeProvider(config))


def body(value) -> bytes:
    return json.dumps(value).encode()


def ml_notice(**changes) -> dict:
    notice = {
        "_id": "f9f08571-1f65-4c46-9e0a-c0f43faas1557e",
        "resource": "/orders/2000003508419013",
        "user_id": 123456001,
        "topic": "orders_v2",
        "application_id": 2069392825111111,
        "attempts": 1,
        "sent": "2026-12-06T07:00:00.610Z",
        "received": "2026-12-06T07:00:00.584Z",
    }
    return notice | changes


def magalu_notice(**changes) -> dict:
    data = {
        "status": "approved",
        "params": {"id": "0f8e3c1a-0000-4000-8000-000000000001"},
        "resource": "/seller/v1/orders/0f8e3c1a-0000-4000-8000-000000000001",
        "tenant_id": TENANT,
    }
    return {"data": data | changes}


def shopee_notice(**changes) -> dict:
    notice = {
        "shop_id": 880001,
        "code": 3,
        "timestamp": 1796540400,
        "data": {"ordersn": "2612060001SBX", "status": "READY_TO_SHIP", "update_time": 1796540399},
    }
    return notice | changes


def signature(raw: bytes, url: str = SHOPEE_URL, key: str = PARTNER_KEY) -> str:
    """Shopee's push signature, computed here independently of the code under test."""
    return hmac.new(key.encode(), url.encode() + b"|" + raw, hashlib.sha256).hexdigest()
