"""The demo seller's Shopee shops: one Ativo, one Token Expirado."""

from datetime import timedelta

from django.utils import timezone

from integrations.models import Integration
from marketplaces.sandbox import demo
from marketplaces.shopee.standin import conf, issuer
from marketplaces.shopee.standin.directory import DEMO_PASSWORD, MAIN_ACCOUNTS, shop_by_id

ACTIVE = 880002  # Exemplo Outlet
EXPIRED = 880001  # Loja Exemplo Shopee
EXPIRY_REASON = (
    "A Shopee recusou a renovação do token (error_auth): a autorização da loja venceu ou foi "
    "cancelada na Shopee. Reative a integração."
)


def seed(seller) -> str:
    active, expired = shop_by_id(ACTIVE), shop_by_id(EXPIRED)
    integration = demo.ensure_active(
        seller,
        marketplace=conf.KEY,
        account_id=str(active.shop_id),
        name=active.shop_name,
        document="",
        body={**issuer.issue_tokens(shop_id=active.shop_id), "expires_in": conf.ACCESS_TOKEN_TTL},
    )
    if integration.authorization_expires_at is None:
        # As get_shop_info would say: authorized 300 days ago, for 365 days.
        Integration.objects.filter(pk=integration.pk).update(
            authorization_expires_at=timezone.now() + timedelta(days=65)
        )
    demo.ensure_expired(
        seller,
        marketplace=conf.KEY,
        account_id=str(expired.shop_id),
        name=expired.shop_name,
        document="",
        reason=EXPIRY_REASON,
    )
    main = MAIN_ACCOUNTS[0].login
    return (
        f"Shopee local: {expired.login} ou {active.login} / {DEMO_PASSWORD} "
        f"({main}: conta principal, recusada)"
    )
