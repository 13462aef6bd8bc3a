"""The ID Magalu stand-in's fixed demo directory."""

from marketplaces.magalu.standin.directory import (
    DEMO_PERSON_EMAIL,
    DEMO_PERSON_PASSWORD,
    DEMO_PERSON_UUID,
    DEMO_TENANTS,
    SandboxTenant,
    authenticate,
    tenant_by_uuid,
)


def test_the_demo_person_is_the_natural_person_tenant_spelt_pf():
    person = DEMO_TENANTS[0]

    assert person == SandboxTenant(
        DEMO_PERSON_UUID, "Ana Souza", "ana.souza@sandbox.localhost", "natural_person", False, "PF"
    )
    assert person.claim == f"PF.{DEMO_PERSON_UUID}"
    assert person.kind_label == "Pessoa Física"


def test_legal_entities_spell_their_type_more_than_one_way():
    loja = tenant_by_uuid("d3b07384-d9a0-4c9b-8a7e-5f1e2b000101")
    outlet = tenant_by_uuid("d3b07384-d9a0-4c9b-8a7e-5f1e2b000102")

    assert loja.legal_name == "Loja Exemplo Ltda"
    assert loja.claim == "Organization.d3b07384-d9a0-4c9b-8a7e-5f1e2b000101"
    assert outlet.claim == "PJ.d3b07384-d9a0-4c9b-8a7e-5f1e2b000102"
    assert loja.kind_label == outlet.kind_label == "Pessoa Jurídica"
    assert len({tenant.uuid for tenant in DEMO_TENANTS}) == len(DEMO_TENANTS) == 7


def test_one_tenant_has_a_type_nobody_knows():
    coop = tenant_by_uuid("d3b07384-d9a0-4c9b-8a7e-5f1e2b000106")

    assert coop.claim.startswith("Cooperative.")
    assert coop.kind_label == "Outro tipo de conta"


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
