"""The demo seller's Shopee shops: one Ativo, one Token Expirado."""

from django.utils import timezone

from marketplaces.sandbox.demo import DemoAccount
from marketplaces.shopee.standin import conf, issuer
from marketplaces.shopee.standin.directory import DEMO_PASSWORD, MAIN_ACCOUNTS, shop_by_id
from marketplaces.shopee.standin.views_api import AUTHORIZATION_LIFETIME

ACTIVE = 880002  # Exemplo Outlet
EXPIRED = 880001  # Loja Exemplo Shopee
EXPIRY_REASON = (
    "A Shopee recusou a renovação do token (error_auth): a autorização da loja venceu ou foi "
    "cancelada na Shopee. Reative a integração."
)


def _account(shop, **state) -> DemoAccount:
    # A shop has no CNPJ/CPF on its demo row.
    return DemoAccount(
        marketplace=conf.KEY,
        account_id=str(shop.shop_id),
        name=shop.shop_name,
        document="",
        **state,
    )


def accounts() -> tuple[list[DemoAccount], str]:
    active, expired = shop_by_id(ACTIVE), shop_by_id(EXPIRED)
    body = issuer.issue_tokens(shop_id=active.shop_id)
    found = [
        # Shopee names the lifetime "expire_in"; the demo reads RFC 6749's name.
        _account(
            active,
            token_body={**body, "expires_in": body["expire_in"]},
            # As get_shop_info answers for the grant just issued.
            authorization_ends=timezone.now() + AUTHORIZATION_LIFETIME,
        ),
        _account(expired, expiry_reason=EXPIRY_REASON),
    ]
    main = MAIN_ACCOUNTS[0].login
    words = (
        f"Shopee local: {expired.login} ou {active.login} / {DEMO_PASSWORD} "
        f"({main}: conta principal de três lojas)"
    )
    return found, words
