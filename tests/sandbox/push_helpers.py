"""What the push tests share: a stand-in's account with one new order, and a hub that records
every notification it is sent (``responses``: the hub's endpoint is not in this process)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
import requests
import responses
from django.utils import timezone

from marketplaces.magalu.standin import issuer as magalu_issuer
from marketplaces.mercadolivre.standin import issuer as ml_issuer
from marketplaces.sandbox.models import SandboxOrder, SandboxOrderFeed
from marketplaces.shopee.standin import issuer as shopee_issuer

ML_USER = 123456002  # EXEMPLOOUTLET
SHOPEE_SHOP = 880002  # Exemplo Outlet
MAGALU_TENANT = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000102"
# Each stand-in's first status, the one a new order has.
FIRST_STATUS = {"mercadolivre": "confirmed", "magalu": "new", "shopee": "UNPAID"}
FAULTS = ("DUPLICATE_SHARE", "OUT_OF_ORDER_SHARE", "DROP_SHARE", "DELAY_SECONDS")


def subscribe(key: str) -> tuple[str, dict]:
    """An account of the stand-in authorizes the hub (a grant family): (account id, tokens)."""
    if key == "mercadolivre":
        return str(ML_USER), ml_issuer.issue_tokens(user_id=ML_USER)
    if key == "shopee":
        return str(SHOPEE_SHOP), shopee_issuer.issue_tokens(shop_id=SHOPEE_SHOP)
    return MAGALU_TENANT, magalu_issuer.issue_tokens(tenant_uuid=MAGALU_TENANT, scopes=["x"])


def quiet_feed(key: str, account_id: str) -> SandboxOrderFeed:
    """The account's feed, already swept an hour ago, generating no orders by itself: each test
    adds the orders it means."""
    now = timezone.now()
    return SandboxOrderFeed.objects.create(
        marketplace=key,
        account_id=account_id,
        generated_until=now + timedelta(days=1),
        pushed_until=now - timedelta(hours=1),
    )


def new_order(
    feed: SandboxOrderFeed, number: int, *, status: str = "", placed_ago=timedelta(0)
) -> SandboxOrder:
    """An order placed just now in its first status (or ``placed_ago``, in the status it then
    has, taken just now)."""
    moment = timezone.now()
    return SandboxOrder.objects.create(
        feed=feed,
        order_id=f"{number}",
        code=f"C{number}",
        status=status or FIRST_STATUS[feed.marketplace],
        total=Decimal("10.00"),
        buyer_name="Ana Lima",
        created_at=timezone.now() - placed_ago,
        updated_at=moment,
    )


@dataclass
class Hub:
    """The hub's push endpoint as the stand-ins see it: every request, and scripted answers."""

    mock: responses.RequestsMock
    requests: list = field(default_factory=list)
    answers: list = field(default_factory=list)  # status codes or exceptions, first used first

    def answer(self, *outcomes) -> None:
        self.answers.extend(outcomes)

    def _respond(self, request):
        self.requests.append(request)
        outcome = self.answers.pop(0) if self.answers else 200
        if isinstance(outcome, Exception):
            raise outcome
        return outcome, {}, ""

    def bodies(self, key: str | None = None) -> list[dict]:
        return [json.loads(r.body) for r in self.requests if key is None or f"/{key}/" in r.url]


@pytest.fixture
def hub(settings):
    """Pushing on, every fault off (each test turns on the one it checks)."""
    settings.SANDBOX_PUSH = True
    for key in FIRST_STATUS:
        for name in FAULTS:
            setattr(settings, f"{key.upper()}_SANDBOX_PUSH_{name}", 0)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        found = Hub(mock)
        for key in FIRST_STATUS:
            mock.add_callback(
                responses.POST, f"http://hub.test/push/{key}/", callback=found._respond
            )
        yield found


TIMEOUT = requests.exceptions.ReadTimeout("no answer within the timeout")
DOWN = requests.exceptions.ConnectionError("connection refused")
