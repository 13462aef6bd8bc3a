"""The demo seller's Mercado Livre accounts: one Ativo, one Token Expirado."""

from marketplaces.mercadolivre.standin import conf, issuer
from marketplaces.mercadolivre.standin.directory import DEMO_PASSWORD, user_by_id
from marketplaces.sandbox import demo

ACTIVE = 123456002  # EXEMPLOOUTLET, an individual (CPF) seller
EXPIRED = 123456001  # LOJAEXEMPLO, a company (CNPJ)
EXPIRY_REASON = (
    "O Mercado Livre recusou a renovação do token (invalid_grant): a senha da conta foi trocada "
    "ou o acesso do aplicativo foi revogado. Reative a integração."
)


def seed(seller) -> str:
    active, expired = user_by_id(ACTIVE), user_by_id(EXPIRED)
    demo.ensure_active(
        seller,
        marketplace=conf.KEY,
        account_id=str(active.user_id),
        name=active.nickname,
        document=active.document_hint,
        body=issuer.issue_tokens(user_id=active.user_id),
    )
    demo.ensure_expired(
        seller,
        marketplace=conf.KEY,
        account_id=str(expired.user_id),
        name=expired.nickname,
        document=expired.document_hint,
        reason=EXPIRY_REASON,
    )
    return f"Mercado Livre local: {expired.nickname} ou {active.nickname} / {DEMO_PASSWORD}"
