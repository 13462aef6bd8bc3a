"""The demo seller's Shopee shops: one Ativo, one Token Expirado."""

from marketplaces.sandbox.demo import DemoAccount
from marketplaces.shopee.standin import conf, issuer
from marketplaces.shopee.standin.directory import DEMO_PASSWORD, MAIN_ACCOUNTS, shop_by_id

ACTIVE = 880002  # Exemplo Outlet
EXPIRED = 880001  # Loja Exemplo Shopee
EXPIRY_REASON = (
    "A Shopee recusou a renovação do token (error_auth): a autorização da loja venceu ou foi "
    "cancelada na Shopee. Reative a integração."
)


def accounts() -> tuple[list[DemoAccount], str]:
    active, expired = shop_by_id(ACTIVE), shop_by_id(EXPIRED)
    body = issuer.issue_tokens(shop_id=active.shop_id)
    found = [
        DemoAccount(
            marketplace=conf.KEY,
            account_id=str(active.shop_id),
            name=active.shop_name,
            document="",
            # Shopee names the lifetime "expire_in"; the demo reads RFC 6749's name.
            token_body={**body, "expires_in": body["expire_in"]},
        ),
        DemoAccount(
            marketplace=conf.KEY,
            account_id=str(expired.shop_id),
            name=expired.shop_name,
            document="",
            expiry_reason=EXPIRY_REASON,
        ),
    ]
    main = MAIN_ACCOUNTS[0].login
    words = (
        f"Shopee local: {expired.login} ou {active.login} / {DEMO_PASSWORD} "
        f"({main}: conta principal, recusada)"
    )
    return found, words
