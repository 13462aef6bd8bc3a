"""Authorization attempts: a read-only list, and "Aceitar esta Pessoa Jurídica" (Magalu's
word for the account)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from hub.cnpj import format_cnpj
from integrations.models import AuthorizationAttempt, IntegrationEvent
from integrations.services.support import authorization_attempts_cleanup
from tests.admin import admin_url, make_attempt, messages_of
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db
Outcome = AuthorizationAttempt.Outcome
LIST_URL = admin_url("integrations_authorizationattempt_changelist")


@pytest.fixture
def wrong_pj():
    integration = IntegrationFactory(
        expired=True, account_name="Matriz Esperada Ltda", external_id="tenant-esperado"
    )
    user = UserFactory(membership__seller=integration.seller, email="ana@loja.com.br")
    return make_attempt(
        integration=integration,
        user=user,
        chosen_external_id="tenant-filial",
        chosen_account_name="Filial Escolhida Ltda",
    )


def accept(client, attempt, *, confirm: bool):
    url = admin_url("integrations_authorizationattempt_accept", attempt.pk)
    if confirm:
        return client.post(url, {"confirmado": "sim"}, follow=True)
    return client.get(url)


def test_list_shows_who_when_integration_outcome_and_chosen_tenant(support_client, wrong_pj):
    make_attempt(integration=IntegrationFactory(), outcome=Outcome.CANCELLED)
    make_attempt(
        seller=wrong_pj.seller,
        outcome=Outcome.ACCOUNT_REFUSED,
        chosen_account_name="Ana Pessoa Física",
    )

    body = support_client.get(LIST_URL).content.decode()

    for text in (
        wrong_pj.user.username,
        "ana@loja.com.br",
        "Matriz Esperada Ltda",
        "tenant-esperado",
        "Conta diferente da integração",
        "Filial Escolhida Ltda",
        "tenant-filial",
        "Cancelada",
        "Tipo de conta não aceito",
        "Ana Pessoa Física",
        "— (primeira conexão)",
        "Aceitar esta Pessoa Jurídica…",
    ):
        assert text in body, text
    assert body.count("Aceitar esta Pessoa Jurídica…") == 1


def test_list_and_page_name_the_marketplace_not_its_key(support_client, wrong_pj):
    listed = support_client.get(LIST_URL).content.decode()
    page = support_client.get(
        admin_url("integrations_authorizationattempt_change", wrong_pj.pk)
    ).content.decode()

    for body in (listed, page):
        assert "Magazine Luiza" in body
        assert ">magalu<" not in body


@pytest.mark.parametrize(
    "term", ["Filial Escolhida", "tenant-filial", "ana@loja", "Matriz Esperada", "{cnpj}"]
)
def test_list_search(support_client, wrong_pj, term):
    make_attempt(integration=IntegrationFactory(), outcome=Outcome.CANCELLED)
    term = term.format(cnpj=format_cnpj(wrong_pj.seller.cnpj))

    response = support_client.get(LIST_URL, {"q": term})

    assert [a.pk for a in response.context["cl"].result_list] == [wrong_pj.pk]


def test_attempts_are_read_only(superuser_client, wrong_pj):
    change_url = admin_url("integrations_authorizationattempt_change", wrong_pj.pk)

    assert superuser_client.get(change_url).status_code == 200
    assert superuser_client.post(change_url, {"outcome": "success"}).status_code == 403
    assert (
        superuser_client.get(admin_url("integrations_authorizationattempt_add")).status_code == 403
    )
    wrong_pj.refresh_from_db()
    assert wrong_pj.outcome == Outcome.WRONG_TENANT


def test_attempt_page_offers_accept_to_those_allowed(support_client, wrong_pj):
    body = support_client.get(
        admin_url("integrations_authorizationattempt_change", wrong_pj.pk)
    ).content.decode()

    assert admin_url("integrations_authorizationattempt_accept", wrong_pj.pk) in body


def test_accept_asks_for_confirmation_first(support_client, wrong_pj):
    response = accept(support_client, wrong_pj, confirm=False)
    body = response.content.decode()

    assert "Tornar “Filial Escolhida Ltda” a conta esperada desta integração?" in body
    assert "Matriz Esperada Ltda" in body and "tenant-filial" in body
    wrong_pj.integration.refresh_from_db()
    assert wrong_pj.integration.external_id == "tenant-esperado"


def test_accept_makes_the_chosen_tenant_the_expected_account_and_records_it(
    support_client, support_user, wrong_pj
):
    response = accept(support_client, wrong_pj, confirm=True)

    integration = wrong_pj.integration
    integration.refresh_from_db()
    assert (integration.external_id, integration.account_name) == (
        "tenant-filial",
        "Filial Escolhida Ltda",
    )
    assert integration.status == integration.Status.EXPIRED
    event = integration.events.get()
    assert (event.kind, event.actor) == (IntegrationEvent.Kind.ADMIN_ACTION, support_user)
    assert event.details == (
        "Conta aceita pelo suporte: Filial Escolhida Ltda (tenant-filial); "
        "antes: Matriz Esperada Ltda (tenant-esperado)"
    )
    assert response.redirect_chain[-1][0] == admin_url(
        "integrations_integration_change", integration.pk
    )
    assert messages_of(response) == [
        "“Filial Escolhida Ltda” agora é a conta esperada desta integração. Peça à empresa para "
        "reativar (ou use “Enviar link de reativação”)."
    ]


def test_accept_refuses_a_tenant_another_integration_already_has(support_client, wrong_pj):
    IntegrationFactory(external_id="tenant-filial", account_name="Filial Já Conectada Ltda")

    response = accept(support_client, wrong_pj, confirm=True)

    [message] = messages_of(response)
    assert message.startswith("Esta conta já é a da integração “Filial Já Conectada Ltda”")
    wrong_pj.integration.refresh_from_db()
    assert wrong_pj.integration.external_id == "tenant-esperado"
    assert not wrong_pj.integration.events.exists()


def test_accept_refuses_an_active_integration(support_client, wrong_pj):
    integration = IntegrationFactory(account_name="Ativa Ltda")
    attempt = make_attempt(
        integration=integration, chosen_external_id="tenant-x", chosen_account_name="X Ltda"
    )

    response = accept(support_client, attempt, confirm=True)

    assert messages_of(response) == [
        "“Ativa Ltda” está Ativa com outra conta: desconecte-a antes de aceitar esta."
    ]
    integration.refresh_from_db()
    assert integration.external_id != "tenant-x"


@pytest.mark.parametrize("outcome", [Outcome.SUCCESS, Outcome.ACCOUNT_REFUSED, Outcome.CANCELLED])
def test_accept_only_from_a_wrong_pj_attempt(support_client, outcome):
    integration = IntegrationFactory(expired=True)
    attempt = make_attempt(
        integration=integration,
        outcome=outcome,
        chosen_external_id="tenant-y",
        chosen_account_name="Y Ltda",
    )

    assert "não permite aceitar" in accept(support_client, attempt, confirm=False).content.decode()
    response = accept(support_client, attempt, confirm=True)

    assert messages_of(response) == [
        "Só a conta de uma tentativa com “Conta diferente da integração” ou “Tipo de conta a "
        "verificar” pode ser aceita."
    ]
    integration.refresh_from_db()
    assert integration.external_id != "tenant-y"


def test_a_natural_person_is_never_offered_for_acceptance(support_client):
    """Only stores sell on Magalu: a Pessoa Física refusal is final, whatever support clicks."""
    integration = IntegrationFactory(expired=True)
    attempt = make_attempt(
        integration=integration,
        outcome=Outcome.ACCOUNT_REFUSED,
        chosen_external_id="pessoa-fisica",
        chosen_account_name="Ana Souza",
    )

    page = support_client.get(
        admin_url("integrations_authorizationattempt_change", attempt.pk)
    ).content.decode()
    listing = support_client.get(LIST_URL).content.decode()

    assert "Aceitar esta" not in page and "Aceitar esta" not in listing
    accept(support_client, attempt, confirm=True)
    integration.refresh_from_db()
    assert integration.external_id != "pessoa-fisica"


def test_an_unverified_kind_is_offered_and_accepting_creates_the_expected_integration(
    support_client, support_user
):
    seller_user = UserFactory(email="coop@loja.com.br")
    attempt = make_attempt(
        seller=seller_user.membership.seller,
        user=seller_user,
        outcome=Outcome.ACCOUNT_UNVERIFIED,
        chosen_external_id="tenant-coop",
        chosen_account_name="Cooperativa Exemplo",
    )
    attempt.chosen_account_kind, attempt.chosen_account_type = "unknown", "Cooperative"
    attempt.save()

    page = accept(support_client, attempt, confirm=False).content.decode()
    assert "Cooperative" in page and "não reconhecido pelo hub" in page
    accept(support_client, attempt, confirm=True)

    integration = attempt.seller.integrations.get()
    assert (integration.external_id, integration.account_name, integration.status) == (
        "tenant-coop",
        "Cooperativa Exemplo",
        integration.Status.EXPIRED,
    )
    assert integration.accepted_account_type == "Cooperative"
    event = integration.events.get()
    assert (event.actor, "verificado" in event.details) == (support_user, True)


def test_accept_needs_its_permission(client, wrong_pj):
    viewer = UserFactory(membership=None, is_staff=True)
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_authorizationattempt", "view_integration"])
    )
    client.force_login(viewer)

    assert accept(client, wrong_pj, confirm=False).status_code == 403
    assert accept(client, wrong_pj, confirm=True).status_code == 403
    assert "Aceitar esta Pessoa Jurídica" not in client.get(LIST_URL).content.decode()
    wrong_pj.integration.refresh_from_db()
    assert wrong_pj.integration.external_id == "tenant-esperado"


def test_cleanup_deletes_attempts_past_their_validity_beyond_the_retention():
    integration = IntegrationFactory()
    now = timezone.now()
    old = make_attempt(integration=integration, expires_at=now - timedelta(days=31))
    recent = make_attempt(integration=integration, expires_at=now - timedelta(days=29))
    pending = make_attempt(integration=integration, outcome=Outcome.PENDING)

    assert authorization_attempts_cleanup() == 1
    assert set(AuthorizationAttempt.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not AuthorizationAttempt.objects.filter(pk=old.pk).exists()
    assert authorization_attempts_cleanup(retention_days=7) == 1
    assert list(AuthorizationAttempt.objects.values_list("pk", flat=True)) == [pending.pk]
