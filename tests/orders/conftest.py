"""Accounts with real stand-in tokens and order feeds (an order every few hours: few rows)."""

import pytest

from tests.integrations.conftest import (  # noqa: F401  (fixtures)
    _keeper_cache,
    eager_tasks,
    live_sandbox,
    sandbox_account,
    start_worker,
)


@pytest.fixture(autouse=True)
def _sparse_feeds(settings):
    settings.SANDBOX_ORDERS_MEAN_GAP_MINUTES = 240


@pytest.fixture
def magalu_account(seller, seller_user):
    return sandbox_account(seller=seller, tenant="d3b07384-d9a0-4c9b-8a7e-5f1e2b000103")


@pytest.fixture
def ml_account(seller, seller_user):
    return sandbox_account(seller=seller, tenant="123456002", marketplace="mercadolivre")
