"""The server's entry point: what it does once, before the first request."""

import gc
import importlib
import sys

import pytest


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()  # the test process keeps collecting as before


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi"])
def test_the_entry_point_moves_what_it_loaded_out_of_the_collectors_reach(unfrozen, entry_point):
    assert gc.get_freeze_count() == 0
    sys.modules.pop(entry_point, None)

    module = importlib.import_module(entry_point)

    assert callable(module.application)
    # Django, the apps, the admin and the URLconf: far more than a request's own objects.
    assert gc.get_freeze_count() > 50_000
    assert "config.urls" in sys.modules
