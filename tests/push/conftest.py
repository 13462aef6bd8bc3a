"""Accounts with real stand-in tokens and order feeds, as the orders tests have them."""

from tests.orders.conftest import (  # noqa: F401  (fixtures)
    _keeper_cache,
    _sparse_feeds,
    live_sandbox,
    ml_account,
)
