"""Each orders reader's ``read_order`` against the stand-ins: the account's own order, never
another account's, an id that could leave its path segment never sent, and the typed errors."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplaces import AccessTokenRejected, TemporarilyUnavailable, get_provider, reader_for
from marketplaces.base.errors import OperatorLogin
from marketplaces.magalu.standin import issuer as magalu_issuer
from marketplaces.mercadolivre.standin import issuer as ml_issuer
from marketplaces.sandbox import faults
from marketplaces.sandbox.models import SandboxOrder, SandboxOrderFeed
from marketplaces.shopee.standin import issuer as shopee_issuer
from tests.integrations.conftest import SELLER_TENANTS

pytestmark = pytest.mark.usefixtures("sandbox_http")

# (marketplace, the account, another account, its order id, another account's order id)
CASES = {
    "mercadolivre": ("123456001", "123456002", "2100000000001", "2100000000002"),
    "magalu": (
        SELLER_TENANTS[0],
        SELLER_TENANTS[1],
        "5a1e7c2b-0000-4000-8000-00000000a001",
        "5a1e7c2b-0000-4000-8000-00000000b002",
    ),
    "shopee": ("880001", "880002", "2612060001OWN", "2612060002OTH"),
}
MARKETPLACES = sorted(CASES)
# What could leave a path segment or a comma-separated list, and what is simply not an id.
HOSTILE_IDS = ["../users/me", "1/../../x", "1?x=1", "1#x", "1,2", "a b", "", "%2e%2e", "9" * 80]


@pytest.fixture(autouse=True)
def _patient_client(settings):
    """The stand-in answers in this process: a busy test machine is not a slow marketplace (the
    timeouts tested here are the stand-in's simulated ones)."""
    for prefix in ("MAGALU", "MERCADOLIVRE", "SHOPEE"):
        setattr(settings, f"{prefix}_READ_TIMEOUT", 30.0)


def _token(marketplace: str, account: str) -> str:
    if marketplace == "mercadolivre":
        return ml_issuer.issue_tokens(user_id=int(account))["access_token"]
    if marketplace == "shopee":
        return shopee_issuer.issue_tokens(shop_id=int(account))["access_token"]
    scopes = list(get_provider("magalu").config.scopes)
    return magalu_issuer.issue_tokens(tenant_uuid=account, scopes=scopes)["access_token"]


def _order(marketplace: str, account: str, order_id: str) -> SandboxOrder:
    """One order in the account's stand-in feed (the feed generated up to now: no others)."""
    now = timezone.now()
    feed, _ = SandboxOrderFeed.objects.get_or_create(
        marketplace=marketplace, account_id=account, defaults={"generated_until": now}
    )
    return SandboxOrder.objects.create(
        feed=feed,
        order_id=order_id,
        code=order_id if marketplace != "magalu" else "LU-4242",
        status={"mercadolivre": "paid", "magalu": "approved", "shopee": "SHIPPED"}[marketplace],
        total=Decimal("129.90"),
        buyer_name="Maria Oliveira",
        created_at=now - timedelta(days=3),
        updated_at=now - timedelta(days=2),
    )


@pytest.fixture
def case(request):
    marketplace = request.param
    account, other, own_id, other_id = CASES[marketplace]
    own = _order(marketplace, account, own_id)
    _order(marketplace, other, other_id)
    return marketplace, account, _token(marketplace, account), own


def _read(marketplace: str, token: str, account: str, order_id: str):
    reader = reader_for(marketplace)
    return reader.read_order(access_token=token, account_id=account, order_id=order_id)


@pytest.mark.parametrize("case", MARKETPLACES, indirect=True)
def test_the_accounts_own_order_is_read_without_buyer_data(case):
    marketplace, account, token, own = case

    record = _read(marketplace, token, account, own.order_id)

    own.refresh_from_db()
    assert record.marketplace_order_id == own.order_id
    assert record.code == own.code
    assert record.status_raw == own.status and record.status != "other"
    assert (record.total, record.currency) == (Decimal("129.90"), "BRL")
    assert record.created_at == own.created_at.replace(microsecond=0)
    assert "Maria" not in repr(record) and "maria" not in repr(record)


@pytest.mark.parametrize("case", MARKETPLACES, indirect=True)
def test_another_accounts_order_is_none(case, sandbox_http):
    marketplace, account, token, _own = case
    other_id = CASES[marketplace][3]

    assert _read(marketplace, token, account, other_id) is None
    # The marketplace was asked, and answered as it does for another account's order.
    (call,) = sandbox_http.calls
    assert call.status == {"mercadolivre": 403, "magalu": 404, "shopee": 200}[marketplace]


@pytest.mark.parametrize("case", MARKETPLACES, indirect=True)
def test_an_order_nobody_has_is_none(case):
    marketplace, account, token, _own = case
    unknown = {"mercadolivre": "2199999999999", "magalu": "nada-0000", "shopee": "2612069999ZZZ"}
    assert _read(marketplace, token, account, unknown[marketplace]) is None


@pytest.mark.parametrize("case", MARKETPLACES, indirect=True)
@pytest.mark.parametrize("order_id", HOSTILE_IDS)
def test_an_id_that_is_not_one_is_never_sent(case, order_id, sandbox_http):
    marketplace, account, token, _own = case
    assert _read(marketplace, token, account, order_id) is None
    assert sandbox_http.calls == []


def test_mercado_livre_an_order_the_account_bought_is_not_its_sale(sandbox_http):
    """The buyer may read an order too: it is the account's only when the account sold it."""
    own = _order("mercadolivre", "123456001", "2100000000001")
    token = _token("mercadolivre", "123456001")
    assert _read("mercadolivre", token, "123456002", own.order_id) is None
    assert len(sandbox_http.calls) == 1


@pytest.mark.parametrize("case", MARKETPLACES, indirect=True)
def test_a_dead_access_token_is_rejected(case):
    marketplace, account, _, own = case
    with pytest.raises(AccessTokenRejected):
        _read(marketplace, "APP_USR-not-a-token", account, own.order_id)


@pytest.mark.parametrize("case", MARKETPLACES, indirect=True)
@pytest.mark.parametrize(
    ("mode", "status"),
    [(faults.RATE_LIMITED, 429), (faults.UNAVAILABLE, 503), (faults.TIMEOUT, None)],
)
def test_overload_and_timeouts_are_temporary(case, mode, status):
    marketplace, account, token, own = case
    faults.arm(faults.API, mode, marketplace=marketplace, retry_after=7, delay_ms=0)

    with pytest.raises(TemporarilyUnavailable) as caught:
        _read(marketplace, token, account, own.order_id)

    assert caught.value.status == status
    # The next call, the fault spent, reads the order.
    assert _read(marketplace, token, account, own.order_id).marketplace_order_id == own.order_id


def test_mercado_livre_an_operator_grant_is_an_operator_login_not_a_missing_order():
    """A 403 naming the operator login is the grant's problem, never "no such order"."""
    own = _order("mercadolivre", "123456001", "2100000000001")
    token = _token("mercadolivre", "123456009")  # LOJAEXEMPLO.OPERADOR
    with pytest.raises(OperatorLogin):
        _read("mercadolivre", token, "123456001", own.order_id)
