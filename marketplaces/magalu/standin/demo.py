"""The demo seller's Magalu accounts, matching the stand-in's demo person and tenants."""

from datetime import timedelta

from django.utils import timezone

from marketplaces.magalu.standin import conf, issuer
from marketplaces.magalu.standin.directory import (
    DEMO_PERSON_EMAIL,
    DEMO_PERSON_PASSWORD,
    tenant_by_uuid,
)
from marketplaces.sandbox import orders
from marketplaces.sandbox.demo import DemoAccount
from marketplaces.sandbox.models import SandboxOrderFeed

ACTIVE = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000102"
EXPIRED = ("d3b07384-d9a0-4c9b-8a7e-5f1e2b000101", "d3b07384-d9a0-4c9b-8a7e-5f1e2b000105")
EXPIRY_REASON = "O ID Magalu recusou a renovação do token (invalid_grant): reative a integração."


def _account(tenant, **state) -> DemoAccount:
    return DemoAccount(
        marketplace=conf.KEY,
        account_id=tenant.uuid,
        name=tenant.legal_name,
        document=tenant.document_hint,
        **state,
    )


def accounts() -> tuple[list[DemoAccount], str]:
    """The demo accounts, and the line telling how to sign in on the stand-in."""
    tenant = tenant_by_uuid(ACTIVE)
    # This account usually sells every half hour and went quiet seven hours ago: the hub's
    # silence hint shows on the Marketplaces page once its orders are read.
    if not SandboxOrderFeed.objects.filter(marketplace=conf.KEY, account_id=tenant.uuid).exists():
        orders.stop_orders(conf.KEY, tenant.uuid, at=timezone.now() - timedelta(hours=7))
    body = issuer.issue_tokens(tenant_uuid=tenant.uuid, scopes=conf.default_scopes())
    found = [_account(tenant, token_body=body)]
    found += [_account(tenant_by_uuid(uuid), expiry_reason=EXPIRY_REASON) for uuid in EXPIRED]
    return found, f"ID Magalu local: {DEMO_PERSON_EMAIL} / {DEMO_PERSON_PASSWORD}"
