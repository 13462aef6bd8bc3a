"""The fixed demo directory: one person (the seller's Master login) and the accounts it acts for."""

import hmac
from dataclasses import dataclass

DEMO_PERSON_EMAIL = "demo@sandbox.localhost"
DEMO_PERSON_PASSWORD = "demo12345"  # noqa: S105 - a published demo credential, not a secret
DEMO_PERSON_UUID = "5b0e8a52-6d0b-4c1e-9f3a-2d7c1e000001"

NATURAL_PERSON = "natural_person"
LEGAL_ENTITY = "legal_entity"


@dataclass(frozen=True)
class SandboxTenant:
    uuid: str
    legal_name: str
    email: str
    kind: str  # NATURAL_PERSON | LEGAL_ENTITY
    seller_access: bool

    @property
    def is_legal_entity(self) -> bool:
        return self.kind == LEGAL_ENTITY

    @property
    def claim(self) -> str:
        """The JWT ``tenant`` claim: ``<TenantType>.<uuid>``, as Magalu's own CLI reads it."""
        prefix = "Organization" if self.is_legal_entity else "Person"
        return f"{prefix}.{self.uuid}"

    @property
    def kind_label(self) -> str:
        return "Pessoa Jurídica" if self.is_legal_entity else "Pessoa Física"

    @property
    def document_hint(self) -> str:
        """A masked, made-up CNPJ/CPF ending, enough to tell the accounts apart on screen."""
        tail = self.uuid[-2:]
        if self.is_legal_entity:
            return f"CNPJ ••.•••.•••/0001-{tail}"
        return f"CPF •••.•••.•••-{tail}"


DEMO_TENANTS: tuple[SandboxTenant, ...] = (
    # The Pessoa Física behind the login.
    SandboxTenant(
        DEMO_PERSON_UUID, "Ana Souza", "ana.souza@sandbox.localhost", NATURAL_PERSON, False
    ),
    SandboxTenant(
        "d3b07384-d9a0-4c9b-8a7e-5f1e2b000101",
        "Loja Exemplo Ltda",
        "loja@exemplo.com.br",
        LEGAL_ENTITY,
        True,
    ),
    SandboxTenant(
        "d3b07384-d9a0-4c9b-8a7e-5f1e2b000102",
        "Exemplo Outlet Comércio Ltda",
        "outlet@exemplo.com.br",
        LEGAL_ENTITY,
        True,
    ),
    SandboxTenant(
        "d3b07384-d9a0-4c9b-8a7e-5f1e2b000103",
        "Casa Exemplo Distribuidora Ltda",
        "casa@exemplo.com.br",
        LEGAL_ENTITY,
        True,
    ),
    # No seller access: absent from whoami/tenants, and the seller API answers 403 for it.
    SandboxTenant(
        "d3b07384-d9a0-4c9b-8a7e-5f1e2b000104",
        "Ana Souza Consultoria ME",
        "consultoria@exemplo.com.br",
        LEGAL_ENTITY,
        False,
    ),
    SandboxTenant(
        "d3b07384-d9a0-4c9b-8a7e-5f1e2b000105",
        "Loja Exemplo Filial Sul Ltda",
        "sul@exemplo.com.br",
        LEGAL_ENTITY,
        True,
    ),
)

_BY_UUID = {tenant.uuid: tenant for tenant in DEMO_TENANTS}


def tenant_by_uuid(uuid) -> SandboxTenant | None:
    return _BY_UUID.get(str(uuid)) if uuid is not None else None


def seller_tenants() -> list[SandboxTenant]:
    """The accounts listed by whoami/tenants: those with seller access."""
    return [tenant for tenant in DEMO_TENANTS if tenant.seller_access]


def authenticate(email, password) -> bool:
    """Check the demo person's credentials; compares both in constant time."""
    email_ok = hmac.compare_digest(
        str(email or "").strip().lower().encode(), DEMO_PERSON_EMAIL.encode()
    )
    password_ok = hmac.compare_digest(str(password or "").encode(), DEMO_PERSON_PASSWORD.encode())
    return email_ok and password_ok
