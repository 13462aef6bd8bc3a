"""The demo seller's Magalu accounts, matching the stand-in's demo person and tenants."""

from datetime import timedelta

from django.utils import timezone

from marketplaces.magalu.standin import conf, issuer
from marketplaces.magalu.standin.directory import (
    DEMO_PERSON_EMAIL,
    DEMO_PERSON_PASSWORD,
    tenant_by_uuid,
)
from marketplaces.sandbox import demo, orders
from marketplaces.sandbox.models import SandboxOrderFeed

ACTIVE = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000102"
EXPIRED = ("d3b07384-d9a0-4c9b-8a7e-5f1e2b000101", "d3b07384-d9a0-4c9b-8a7e-5f1e2b000105")
EXPIRY_REASON = "O ID Magalu recusou a renovação do token (invalid_grant): reative a integração."


def seed(seller) -> str:
    """Creates the accounts (once); returns the line telling how to sign in on the stand-in."""
    tenant = tenant_by_uuid(ACTIVE)
    # This account usually sells every half hour and went quiet seven hours ago: the hub's
    # silence hint shows on the Marketplaces page once its orders are read.
    if not SandboxOrderFeed.objects.filter(marketplace=conf.KEY, account_id=tenant.uuid).exists():
        orders.stop_orders(conf.KEY, tenant.uuid, at=timezone.now() - timedelta(hours=7))
    demo.ensure_active(
        seller,
        marketplace=conf.KEY,
        account_id=tenant.uuid,
        name=tenant.legal_name,
        document=tenant.document_hint,
        body=issuer.issue_tokens(tenant_uuid=tenant.uuid, scopes=conf.default_scopes()),
    )
    for uuid in EXPIRED:
        tenant = tenant_by_uuid(uuid)
        demo.ensure_expired(
            seller,
            marketplace=conf.KEY,
            account_id=tenant.uuid,
            name=tenant.legal_name,
            document=tenant.document_hint,
            reason=EXPIRY_REASON,
        )
    return f"ID Magalu local: {DEMO_PERSON_EMAIL} / {DEMO_PERSON_PASSWORD}"
