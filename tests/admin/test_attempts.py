"""Authorization attempts: a read-only list, and "Aceitar esta Pessoa Jurídica"."""

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
        outcome=Outcome.NATURAL_PERSON,
        chosen_account_name="Ana Pessoa Física",
    )

    body = support_client.get(LIST_URL).content.decode()

    for text in (
        wrong_pj.user.username,
        "ana@loja.com.br",
        "Matriz Esperada Ltda",
        "tenant-esperado",
        "Pessoa Jurídica incorreta",
        "Filial Escolhida Ltda",
        "tenant-filial",
        "Cancelada",
        "Pessoa Física ou sem acesso de seller",
        "Ana Pessoa Física",
        "— (primeira conexão)",
        "Aceitar esta Pessoa Jurídica…",
    ):
        assert text in body, text
    assert body.count("Aceitar esta Pessoa Jurídica…") == 1


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
        "Pessoa Jurídica aceita pelo suporte: Filial Escolhida Ltda (tenant-filial); "
        "antes: Matriz Esperada Ltda (tenant-esperado)"
    )
    assert response.redirect_chain[-1][0] == admin_url(
        "integrations_integration_change", integration.pk
    )
    assert messages_of(response) == [
        "“Filial Escolhida Ltda” agora é a conta esperada desta integração. Peça ao seller para "
        "reativar (ou use “Enviar link de reativação”)."
    ]


def test_accept_refuses_a_tenant_another_integration_already_has(support_client, wrong_pj):
    IntegrationFactory(external_id="tenant-filial", account_name="Filial Já Conectada Ltda")

    response = accept(support_client, wrong_pj, confirm=True)

    [message] = messages_of(response)
    assert message.startswith(
        "Esta Pessoa Jurídica já é a conta da integração “Filial Já Conectada Ltda”"
    )
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
        "“Ativa Ltda” está Ativa com outra Pessoa Jurídica: desconecte-a antes de aceitar esta."
    ]
    integration.refresh_from_db()
    assert integration.external_id != "tenant-x"


@pytest.mark.parametrize("outcome", [Outcome.SUCCESS, Outcome.NATURAL_PERSON, Outcome.CANCELLED])
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
        "Só uma tentativa com “Pessoa Jurídica incorreta” pode ter a conta aceita."
    ]
    integration.refresh_from_db()
    assert integration.external_id != "tenant-y"


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
