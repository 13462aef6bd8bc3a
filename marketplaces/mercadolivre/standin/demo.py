"""The demo seller's Mercado Livre accounts: one Ativo, one Token Expirado."""

from marketplaces.mercadolivre.standin import conf, issuer
from marketplaces.mercadolivre.standin.directory import DEMO_PASSWORD, user_by_id
from marketplaces.sandbox.demo import DemoAccount

ACTIVE = 123456002  # EXEMPLOOUTLET, an individual (CPF) seller
EXPIRED = 123456001  # LOJAEXEMPLO, a company (CNPJ)
EXPIRY_REASON = (
    "O Mercado Livre recusou a renovação do token (invalid_grant): a senha da conta foi trocada "
    "ou o acesso do aplicativo foi revogado. Reative a integração."
)


def _account(user, **state) -> DemoAccount:
    who = {"account_id": str(user.user_id), "name": user.nickname, "document": user.document_hint}
    return DemoAccount(marketplace=conf.KEY, **who, **state)


def accounts() -> tuple[list[DemoAccount], str]:
    active, expired = user_by_id(ACTIVE), user_by_id(EXPIRED)
    found = [
        _account(active, token_body=issuer.issue_tokens(user_id=active.user_id)),
        _account(expired, expiry_reason=EXPIRY_REASON),
    ]
    return found, f"Mercado Livre local: {expired.nickname} ou {active.nickname} / {DEMO_PASSWORD}"
