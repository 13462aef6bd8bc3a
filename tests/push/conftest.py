"""Accounts with real stand-in tokens, notifications as Mercado Livre's stand-in shape them, and
the drain's queueing captured (or left to a real worker)."""

import json
from itertools import count
from unittest import mock

import pytest
from celery import current_app
from django.urls import reverse

from integrations.push import conf
from integrations.push.missed_feeds import marketplaces_with_missed_feeds, missed_feed_cursor_key
from integrations.push.services.pace import drain_slot_keys
from integrations.services.keeper_store import store
from marketplaces import reader_for
from tests.factories import SellerFactory
from tests.integrations.conftest import (  # noqa: F401  (fixtures)
    _keeper_cache,
    live_sandbox,
    sandbox_account,
    start_worker,
)
from tests.sandbox.push_helpers import hub  # noqa: F401  (fixture: the stand-ins' receiver)

# The Mercado Livre stand-in's administrator accounts.
OURS, THEIRS = "123456002", "123456001"
_received = count()


@pytest.fixture(autouse=True)
def _sparse_feeds(settings):
    settings.SANDBOX_ORDERS_MEAN_GAP_MINUTES = 240


def _push_keys() -> list[str]:
    """The drains' slots and where each missed feed's last run stopped."""
    feeds = [missed_feed_cursor_key(key) for key in marketplaces_with_missed_feeds()]
    return [*drain_slot_keys(), *feeds]


@pytest.fixture(autouse=True)
def _drain_throttle():
    for key in _push_keys():
        store.delete(key)
    yield
    for key in _push_keys():
        store.delete(key)


@pytest.fixture
def ml_account(seller, seller_user):
    return sandbox_account(seller=seller, tenant=OURS, marketplace="mercadolivre")


@pytest.fixture
def other_sellers_account(db):
    return sandbox_account(seller=SellerFactory(), tenant=THEIRS, marketplace="mercadolivre")


@pytest.fixture
def queued_drains(transactional_db):
    """The drains the endpoint queues once its write commits (the endpoint's own autocommit, as
    in production), captured instead of sent."""
    sent = []
    task = current_app.tasks[conf.DRAIN_TASK]
    eager, current_app.conf.task_always_eager = current_app.conf.task_always_eager, False
    with mock.patch.object(task, "apply_async", side_effect=lambda *a, **kw: sent.append(kw)):
        yield sent
    current_app.conf.task_always_eager = eager


def ml_notice(user_id: str, order_id: str, *, topic: str = "orders_v2", received=None) -> dict:
    """A notification as Mercado Livre documents it; each call a new event unless ``received``
    repeats one."""
    received = received or f"2026-12-06T07:00:{next(_received) % 60:02d}.{next(_received):03d}Z"
    return {
        "resource": f"/orders/{order_id}",
        "user_id": int(user_id),
        "topic": topic,
        "application_id": 2069392825111111,
        "attempts": 1,
        "sent": "2026-12-06T07:00:01.000Z",
        "received": received,
    }


def push(client, notice, *, key: str = "mercadolivre", address: str = "127.0.0.1", **extra):
    body = notice if isinstance(notice, bytes) else json.dumps(notice).encode()
    return client.post(
        reverse("push:receive", args=[key]),
        data=body,
        content_type="application/json",
        REMOTE_ADDR=address,
        **extra,
    )


def stand_in_orders(account) -> list:
    """The account's orders as the stand-in lists them (newest first), read with its token."""
    page = reader_for(account.integration.marketplace).read_page(
        access_token=account.integration.access_token,
        account_id=account.integration.external_id,
        updated_since=None,
        cursor=0,
    )
    return sorted(page.orders, key=lambda record: record.created_at, reverse=True)
