"""The fixed demo directory: one person (the seller's Master login) and the accounts it acts for."""

from dataclasses import dataclass

from marketplaces.sandbox.directory import DEMO_PASSWORD, matches

DEMO_PERSON_EMAIL = "demo@sandbox.localhost"
DEMO_PERSON_PASSWORD = DEMO_PASSWORD
DEMO_PERSON_UUID = "5b0e8a52-6d0b-4c1e-9f3a-2d7c1e000001"

NATURAL_PERSON = "natural_person"
LEGAL_ENTITY = "legal_entity"
OTHER = "other"  # a kind of tenant the hub does not know


@dataclass(frozen=True)
class SandboxTenant:
    uuid: str
    legal_name: str
    email: str
    kind: str  # NATURAL_PERSON | LEGAL_ENTITY | OTHER
    seller_access: bool
    # The `<TenantType>` of the JWT's tenant claim. ID Magalu documents none: the demo spells
    # them several ways, as a real server might, so the hub must recognise, not guess.
    tenant_type: str

    @property
    def is_legal_entity(self) -> bool:
        return self.kind == LEGAL_ENTITY

    @property
    def claim(self) -> str:
        """The JWT ``tenant`` claim: ``<TenantType>.<uuid>``, as Magalu's own CLI reads it."""
        return f"{self.tenant_type}.{self.uuid}"

    @property
    def kind_label(self) -> str:
        return {LEGAL_ENTITY: "Pessoa Jurídica", NATURAL_PERSON: "Pessoa Física"}.get(
            self.kind, "Outro tipo de conta"
        )

    @property
    def document_hint(self) -> str:
        """A masked, made-up CNPJ/CPF ending, enough to tell the accounts apart on screen."""
        tail = self.uuid[-2:]
        if self.kind == NATURAL_PERSON:
            return f"CPF •••.•••.•••-{tail}"
        return f"CNPJ ••.•••.•••/0001-{tail}"


DEMO_TENANTS: tuple[SandboxTenant, ...] = (
    # The Pessoa Física behind the login.
    SandboxTenant(
        DEMO_PERSON_UUID,
        "Ana Souza",
        "ana.souza@sandbox.localhost",
        NATURAL_PERSON,
        False,
        "PF",
    ),
    SandboxTenant(
        "d3b07384-d9a0-4c9b-8a7e-5f1e2b000101",
        "Loja Exemplo Ltda",
        "loja@exemplo.com.br",
        LEGAL_ENTITY,
        True,
        "Organization",
    ),
    SandboxTenant(
        "d3b07384-d9a0-4c9b-8a7e-5f1e2b000102",
        "Exemplo Outlet Comércio Ltda",
        "outlet@exemplo.com.br",
        LEGAL_ENTITY,
        True,
        "PJ",
    ),
    SandboxTenant(
        "d3b07384-d9a0-4c9b-8a7e-5f1e2b000103",
        "Casa Exemplo Distribuidora Ltda",
        "casa@exemplo.com.br",
        LEGAL_ENTITY,
        True,
        "Organization",
    ),
    # No seller access: its token lacks the seller scopes, and the seller API answers 403.
    SandboxTenant(
        "d3b07384-d9a0-4c9b-8a7e-5f1e2b000104",
        "Ana Souza Consultoria ME",
        "consultoria@exemplo.com.br",
        LEGAL_ENTITY,
        False,
        "Organization",
    ),
    SandboxTenant(
        "d3b07384-d9a0-4c9b-8a7e-5f1e2b000105",
        "Loja Exemplo Filial Sul Ltda",
        "sul@exemplo.com.br",
        LEGAL_ENTITY,
        True,
        "Organization",
    ),
    # A tenant type the hub has never seen: it must reach support, never be connected on a guess.
    SandboxTenant(
        "d3b07384-d9a0-4c9b-8a7e-5f1e2b000106",
        "Cooperativa Exemplo",
        "coop@exemplo.com.br",
        OTHER,
        True,
        "Cooperative",
    ),
)

_BY_UUID = {tenant.uuid: tenant for tenant in DEMO_TENANTS}


def tenant_by_uuid(uuid) -> SandboxTenant | None:
    return _BY_UUID.get(str(uuid)) if uuid is not None else None


def authenticate(email, password) -> bool:
    """Check the demo person's credentials; compares both in constant time."""
    email_ok = matches(str(email or "").strip().lower(), DEMO_PERSON_EMAIL)
    password_ok = matches(password, DEMO_PERSON_PASSWORD)
    return email_ok and password_ok
