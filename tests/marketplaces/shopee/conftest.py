"""Shopee integrations holding a real token pair the stand-in issued."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import Integration
from marketplaces.shopee.standin import issuer
from tests.factories import IntegrationFactory
from tests.integrations.conftest import SandboxAccount
from tests.sandbox_http import sandbox_http  # noqa: F401

SHOP = "880001"


def shopee_account(*, seller, shop_id: str = SHOP, expires_in=timedelta(minutes=5)):
    body = issuer.issue_tokens(shop_id=int(shop_id))
    integration = IntegrationFactory(
        seller=seller,
        marketplace="shopee",
        external_id=shop_id,
        account_name="Loja Exemplo Shopee",
        scopes="",
        tokens=(body["access_token"], body["refresh_token"]),
        access_token_expires_at=timezone.now() + expires_in,
        authorization_expires_at=timezone.now() + timedelta(days=300),
        last_renewed_at=timezone.now() - timedelta(hours=4),
    )
    return SandboxAccount(integration, body["access_token"], body["refresh_token"])


@pytest.fixture
def shop(seller, seller_user) -> SandboxAccount:
    return shopee_account(seller=seller)


def reload(account: SandboxAccount) -> Integration:
    return account.reload()
