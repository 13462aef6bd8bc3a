"""On PostgreSQL with real sockets: two imports of one account at once duplicate and lose
nothing; and a real Celery worker imports through beat's sweep."""

import pytest
from django.db import connections

from integrations.orders.models import Order, OrderPulse
from integrations.orders.services.importing import ImportOutcome, orders_import
from integrations.orders.services.sweep import orders_import_sweep
from marketplaces.sandbox import orders as feeds
from marketplaces.sandbox.models import SandboxOrder
from tests.integrations.conftest import run_in_threads, sandbox_account, wait_for

pytestmark = pytest.mark.postgres


def test_two_concurrent_imports_of_one_account_neither_duplicate_nor_lose(
    transactional_db, live_sandbox, settings, seller
):
    settings.SANDBOX_ORDERS_MEAN_GAP_MINUTES = 60
    settings.ORDERS_PREFETCH_NEXT_PAGE = True  # real sockets: the next page on its own thread
    account = sandbox_account(seller=seller, tenant="123456003", marketplace="mercadolivre")
    pk = account.integration.pk

    results = run_in_threads(2, lambda: orders_import(integration_id=pk))

    assert [getattr(r, "outcome", r) for r in results] == [ImportOutcome.IMPORTED] * 2
    feed = SandboxOrder.objects.filter(feed__account_id="123456003")
    assert Order.objects.filter(integration_id=pk).count() == feed.count() > 500
    assert set(Order.objects.values_list("marketplace_order_id", flat=True)) == set(
        feed.values_list("order_id", flat=True)
    )
    pulse = OrderPulse.objects.get(pk=pk)
    # The API answers times to the second.
    newest = max(feed.values_list("updated_at", flat=True)).replace(microsecond=0)
    assert pulse.watermark == newest
    connections.close_all()


@pytest.mark.redis
def test_a_real_worker_imports_every_active_account_and_judges_its_silence(
    start_worker, settings, seller
):
    settings.SANDBOX_ORDERS_MEAN_GAP_MINUTES = 120
    magalu = sandbox_account(seller=seller, tenant="d3b07384-d9a0-4c9b-8a7e-5f1e2b000105")
    ml = sandbox_account(seller=seller, tenant="123456001", marketplace="mercadolivre")
    feeds.stop_orders("mercadolivre", "123456001")  # quiet from now: too recent to be silence
    # Arrivals are random: the time since an account's last order passes its 95th-percentile gap
    # one time in twenty. A two-day floor makes "selling" the verdict on every run; the percentile
    # itself is tested in test_silence.py.
    worker = start_worker(SANDBOX_ORDERS_MEAN_GAP_MINUTES="120", ORDERS_SILENCE_FLOOR_HOURS="48")

    assert orders_import_sweep() == 2

    # The sweep spreads its imports over a minute (countdowns up to 60 s), then each runs.
    wait_for(
        lambda: OrderPulse.objects.filter(last_import_at__isnull=False).count() == 2, timeout=120
    )
    for account in (magalu, ml):
        pulse = OrderPulse.objects.get(pk=account.integration.pk)
        assert pulse.last_import_error == ""
        assert Order.objects.filter(integration=account.integration).count() > 100
    try:
        wait_for(lambda: worker.log().count("'silence': 'selling'") >= 2, timeout=30)
    except AssertionError:
        raise AssertionError(worker.log()[-4000:]) from None
    assert magalu.access_token not in worker.log() and ml.refresh_token not in worker.log()
