"""Fixtures of the API's tests: keys, orders, a local webhook receiver."""

import json
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from api.models import Scope
from api.services.endpoints import endpoint_create
from api.services.keys import api_key_create
from integrations.orders.services.upsert import orders_upsert
from marketplaces import OrderRecord
from tests.factories import IntegrationFactory, SellerFactory

ALL_SCOPES = list(Scope.values)


@pytest.fixture(autouse=True)
def _api_settings(settings):
    settings.API_SETTLE_SECONDS = 0
    settings.API_THROTTLE_PER_MINUTE = 10_000
    settings.CELERY_TASK_ALWAYS_EAGER = False


@pytest.fixture(autouse=True)
def _no_queueing(monkeypatch):
    """Tasks are recorded, not sent (the worker tests start a real worker)."""
    queued: list = []
    monkeypatch.setattr(
        "api.services.outbox.deliver_endpoints", lambda ids: queued.append(list(ids))
    )
    return queued


@dataclass
class Tenant:
    seller: object
    key: str
    integration: object


def make_tenant(scopes=None) -> Tenant:
    seller = SellerFactory()
    integration = IntegrationFactory(seller=seller)
    _, plaintext = api_key_create(seller=seller, name="ERP", scopes=scopes or ALL_SCOPES)
    return Tenant(seller, plaintext, integration)


@pytest.fixture
def tenant(db) -> Tenant:
    return make_tenant()


@pytest.fixture
def other_tenant(db) -> Tenant:
    return make_tenant()


def api_get(client, key: str | None, path: str, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return client.get(path, params, **headers)


def record(number: int, *, status: str = "paid", updated=None, total="10.00") -> OrderRecord:
    now = timezone.now()
    return OrderRecord(
        marketplace_order_id=f"MO-{number}",
        code=f"C{number}",
        status=status,
        status_raw=status.upper(),
        total=Decimal(total),
        currency="BRL",
        created_at=now - timedelta(days=1),
        updated_at=updated or now - timedelta(hours=1),
    )


def write_orders(integration, numbers, **kwargs) -> int:
    return orders_upsert(integration=integration, records=[record(n, **kwargs) for n in numbers])


@pytest.fixture
def endpoint(tenant):
    made, secret = endpoint_create(
        seller=tenant.seller,
        url="http://127.0.0.1:8899/hook",
        events=["order.created", "order.updated", "integration.expired"],
    )
    made.secret = secret
    return made


@dataclass
class Receiver:
    url: str
    requests: list = field(default_factory=list)
    status: int = 204
    on_request: object = None  # called after each request is recorded, before the answer

    def bodies(self) -> list[dict]:
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture
def receiver(settings):
    """A webhook receiver on 127.0.0.1 (an ephemeral port); private addresses allowed."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append((dict(self.headers), body))
            if state.on_request is not None:
                state.on_request()
            self.send_response(state.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()
