"""The integration page: every field readable, tokens masked, history and attempts read-only."""

import hashlib
import re
from datetime import timedelta

import pytest

from integrations.models import AuthorizationAttempt, IntegrationEvent
from tests.admin import admin_url, make_attempt, make_event
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = IntegrationEvent.Kind


def page(client, integration):
    return client.get(admin_url("integrations_integration_change", integration.pk))


def test_every_field_is_readable(support_client):
    integration = IntegrationFactory(
        account_name="Loja Sol Ltda",
        external_id="tenant-sol",
        last_error="falhou ontem",
        scopes="open:order-order:read",
    )

    body = page(support_client, integration).content.decode()

    for text in (
        integration.seller.name,
        "Magazine Luiza",
        "Loja Sol Ltda",
        "tenant-sol",
        "Ativo",
        "open:order-order:read",
        "falhou ontem",
        str(integration.public_id),
        "Token expira em",
        "Última renovação",
        "Último erro em",
        "Criada em",
        "Atualizada em",
    ):
        assert text in body, text


def test_tokens_are_a_mask_and_an_eight_character_fingerprint(support_client):
    integration = IntegrationFactory(tokens=("access-do-sol", "refresh-do-sol"))

    body = page(support_client, integration).content.decode()

    access_fp = hashlib.sha256(b"access-do-sol").hexdigest()[:8]
    refresh_fp = hashlib.sha256(b"refresh-do-sol").hexdigest()[:8]
    assert f"•••••••• (impressão digital {access_fp})" in body
    assert f"•••••••• (impressão digital {refresh_fp})" in body
    assert "access-do-sol" not in body and "refresh-do-sol" not in body


def test_a_disconnected_integration_says_it_has_no_token(support_client):
    body = page(support_client, IntegrationFactory(expired=True)).content.decode()

    assert "— (sem token)" in body


def test_nothing_is_editable_not_even_by_a_superuser(superuser_client):
    integration = IntegrationFactory(account_name="Original Ltda")
    response = page(superuser_client, integration)
    body = response.content.decode()

    form = body.split('id="integration_form"', 1)[1].split("</form>", 1)[0]
    inputs = re.findall(r"<input[^>]*>", form)
    assert inputs and all('type="hidden"' in tag for tag in inputs)
    assert "<textarea" not in form and "<select" not in form
    assert 'name="_save"' not in body
    posted = superuser_client.post(
        admin_url("integrations_integration_change", integration.pk),
        {"account_name": "Trocada Ltda", "access_token_ciphertext": "x", "status": "expired"},
    )
    assert posted.status_code == 403
    integration.refresh_from_db()
    assert integration.account_name == "Original Ltda"
    assert integration.is_active
    assert superuser_client.get(admin_url("integrations_integration_add")).status_code == 403


def test_history_inline_is_read_only_newest_first_with_the_actor(support_client, support_user):
    integration = IntegrationFactory()
    make_event(integration, Kind.CONNECTED, ago=timedelta(days=3), details="primeiro")
    make_event(integration, Kind.REFRESHED, ago=timedelta(days=2), details="segundo")
    make_event(
        integration,
        Kind.ADMIN_ACTION,
        ago=timedelta(days=1),
        actor=support_user,
        details="terceiro",
    )

    response = page(support_client, integration)
    events = list(response.context["inline_admin_formsets"][0].formset.get_queryset())
    body = response.content.decode()

    assert [e.details for e in events] == ["terceiro", "segundo", "primeiro"]
    assert body.index("terceiro") < body.index("segundo") < body.index("primeiro")
    assert "suporte" in body  # the actor
    assert 'name="events-0-details"' not in body
    assert f"integration__id__exact={integration.pk}" in body  # link to the full history


def test_history_inline_shows_the_newest_hundred_and_links_to_all(support_client):
    integration = IntegrationFactory()
    IntegrationEvent.objects.bulk_create(
        IntegrationEvent(integration=integration, kind=Kind.REFRESHED, details=f"e{n}")
        for n in range(105)
    )

    response = page(support_client, integration)

    assert len(response.context["inline_admin_formsets"][0].formset.forms) == 100
    full = support_client.get(
        admin_url("integrations_integrationevent_changelist"),
        {"integration__id__exact": integration.pk},
    )
    assert full.context["cl"].result_count == 105


def test_attempts_of_this_integration_are_shown_read_only(support_client):
    integration = IntegrationFactory(account_name="Esperada Ltda")
    user = UserFactory(membership__seller=integration.seller, email="ana@loja.com.br")
    make_attempt(
        integration=integration,
        user=user,
        chosen_external_id="tenant-errado",
        chosen_account_name="Outra Pessoa Jurídica Ltda",
    )
    make_attempt(
        integration=IntegrationFactory(), chosen_external_id="x", chosen_account_name="Alheia Ltda"
    )

    response = page(support_client, integration)
    body = response.content.decode()

    assert "Outra Pessoa Jurídica Ltda" in body and "tenant-errado" in body
    assert "Conta diferente da integração" in body
    assert "Alheia Ltda" not in body
    attempts = response.context["inline_admin_formsets"][1].formset.get_queryset()
    assert [a.outcome for a in attempts] == [AuthorizationAttempt.Outcome.WRONG_TENANT]


def test_page_queries_do_not_grow_with_the_history(support_client, django_assert_max_num_queries):
    integration = IntegrationFactory()
    actor = UserFactory(membership=None)
    IntegrationEvent.objects.bulk_create(
        IntegrationEvent(integration=integration, kind=Kind.REFRESHED, actor=actor)
        for _ in range(60)
    )
    for _ in range(5):
        make_attempt(integration=integration, user=actor, chosen_external_id="t")

    with django_assert_max_num_queries(15):
        assert page(support_client, integration).status_code == 200
