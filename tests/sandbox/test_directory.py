"""The fixed demo directory."""

from integrations.sandbox.directory import (
    DEMO_PERSON_EMAIL,
    DEMO_PERSON_PASSWORD,
    DEMO_PERSON_UUID,
    DEMO_TENANTS,
    SandboxTenant,
    authenticate,
    seller_tenants,
    tenant_by_uuid,
)


def test_the_demo_person_is_the_natural_person_tenant():
    person = DEMO_TENANTS[0]

    assert person == SandboxTenant(
        DEMO_PERSON_UUID, "Ana Souza", "ana.souza@sandbox.localhost", "natural_person", False
    )
    assert person.claim == f"Person.{DEMO_PERSON_UUID}"
    assert person.kind_label == "Pessoa Física"


def test_legal_entities():
    loja = tenant_by_uuid("d3b07384-d9a0-4c9b-8a7e-5f1e2b000101")

    assert loja.legal_name == "Loja Exemplo Ltda"
    assert loja.claim == "Organization.d3b07384-d9a0-4c9b-8a7e-5f1e2b000101"
    assert loja.kind_label == "Pessoa Jurídica"
    assert len(DEMO_TENANTS) == 6
    assert len({tenant.uuid for tenant in DEMO_TENANTS}) == 6
    assert [tenant.legal_name for tenant in seller_tenants()] == [
        "Loja Exemplo Ltda",
        "Exemplo Outlet Comércio Ltda",
        "Casa Exemplo Distribuidora Ltda",
        "Loja Exemplo Filial Sul Ltda",
    ]


def test_tenant_by_uuid_unknown():
    assert tenant_by_uuid("nope") is None
    assert tenant_by_uuid(None) is None


def test_authenticate():
    assert authenticate(DEMO_PERSON_EMAIL, DEMO_PERSON_PASSWORD)
    assert authenticate(" Demo@Sandbox.localhost ", DEMO_PERSON_PASSWORD)
    assert not authenticate(DEMO_PERSON_EMAIL, "wrong")
    assert not authenticate("other@sandbox.localhost", DEMO_PERSON_PASSWORD)
    assert not authenticate(None, None)
    assert not authenticate("démo@sandbox.localhost", "ção")
