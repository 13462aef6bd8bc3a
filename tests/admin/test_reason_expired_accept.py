"""The reason asked on "Marcar como Token Expirado" and "Desconectar"; attempts past their
validity read "Expirada"; "Aceitar esta Pessoa Jurídica" offered exactly where it works."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.admin.attempt import accept_label
from integrations.models import AuthorizationAttempt, Integration
from integrations.services.support import (
    SupportActionRefused,
    integration_accept_account,
)
from tests.admin import admin_url, make_attempt
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db
Outcome = AuthorizationAttempt.Outcome
LIST_URL = admin_url("integrations_integration_changelist")
ATTEMPTS = admin_url("integrations_authorizationattempt_changelist")
SLUGS = {"mark_expired": "marcar-expirado", "disconnect": "desconectar"}


def post_page(client, integration, name, **data):
    url = admin_url("integrations_integration_action", integration.pk, SLUGS[name])
    return client.post(url, {"confirmado": "sim", **data})


def post_list(client, integrations, name, **data):
    return client.post(
        LIST_URL,
        {
            "action": name,
            "select_across": "0",
            "_selected_action": [i.pk for i in integrations],
            "confirmado": "sim",
            **data,
        },
    )


@pytest.mark.parametrize("name", ["mark_expired", "disconnect"])
def test_the_confirmation_step_asks_for_a_reason(support_client, name):
    integration = IntegrationFactory()
    url = admin_url("integrations_integration_action", integration.pk, SLUGS[name])

    body = support_client.get(url).content.decode()

    assert 'name="motivo"' in body and "required" in body
    assert "Fica no histórico da integração" in body


@pytest.mark.parametrize("name", ["mark_expired", "disconnect"])
@pytest.mark.parametrize("via", ["page", "list"])
@pytest.mark.parametrize("reason", [None, "", "   \n  "])
def test_without_a_reason_nothing_changes_and_a_400_says_why(support_client, name, via, reason):
    integrations = [IntegrationFactory(), IntegrationFactory()]
    data = {} if reason is None else {"motivo": reason}

    if via == "page":
        response = post_page(support_client, integrations[0], name, **data)
    else:
        response = post_list(support_client, integrations, name, **data)

    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "Informe o motivo: ele fica registrado no histórico da integração. Nada foi alterado."
        in body
    )
    for integration in integrations:
        integration.refresh_from_db()
        assert integration.status == Integration.Status.ACTIVE and integration.has_tokens
        assert not integration.events.exists()


def test_a_too_long_reason_is_refused_in_portuguese(support_client):
    integration = IntegrationFactory()

    response = post_page(support_client, integration, "disconnect", motivo="x" * 301)

    assert response.status_code == 400
    assert "Use no máximo 300 caracteres no motivo (são 301)." in response.content.decode()
    integration.refresh_from_db()
    assert integration.status == Integration.Status.ACTIVE


@pytest.mark.parametrize("via", ["page", "list"])
def test_the_reason_goes_into_each_event_on_one_line(support_client, support_user, via):
    integrations = [IntegrationFactory(), IntegrationFactory()]
    reason = "Empresa pediu por e-mail\\n  (chamado 123)".replace("\\n", "\n")

    if via == "page":
        post_page(support_client, integrations[0], "mark_expired", motivo=reason)
        integrations = integrations[:1]
    else:
        post_list(support_client, integrations, "mark_expired", motivo=reason)

    for integration in integrations:
        event = integration.events.get()
        assert event.actor == support_user
        assert event.details == (
            "Marcada como Token Expirado pelo suporte: Empresa pediu por e-mail (chamado 123)"
        )


def test_disconnect_keeps_the_reason_in_the_event(support_client):
    integration = IntegrationFactory()

    post_page(support_client, integration, "disconnect", motivo="Conta encerrada no marketplace")

    event = integration.events.get()
    assert event.details == "tokens apagados; motivo: Conta encerrada no marketplace"


# --- "Expirada" ---------------------------------------------------------------------------


@pytest.fixture
def pending_attempts():
    integration = IntegrationFactory(expired=True)
    past = make_attempt(
        integration=integration,
        outcome=Outcome.PENDING,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    valid = make_attempt(integration=integration, outcome=Outcome.PENDING)
    ended = make_attempt(integration=integration, outcome=Outcome.EXPIRED_STATE)
    return past, valid, ended


def test_a_pending_attempt_past_its_validity_reads_expirada(support_client, pending_attempts):
    past, valid, _ = pending_attempts

    body = support_client.get(ATTEMPTS).content.decode()
    page = support_client.get(admin_url("integrations_authorizationattempt_change", past.pk))

    assert body.count("Em andamento</span>") == 1
    assert body.count("Expirada</span>") == 2
    assert "Expirada</span>" in page.content.decode()
    assert str(past).startswith("Expirada · ") and str(valid).startswith("Em andamento · ")


@pytest.mark.parametrize(
    ("value", "expected"), [("pending", ["valid"]), ("expired_state", ["past", "ended"])]
)
def test_the_outcome_filter_agrees(support_client, pending_attempts, value, expected):
    past, valid, ended = pending_attempts
    names = {"past": past, "valid": valid, "ended": ended}

    response = support_client.get(ATTEMPTS, {"resultado": value})

    shown = sorted(a.pk for a in response.context["cl"].result_list)
    assert shown == sorted(names[name].pk for name in expected)


# --- "Aceitar esta Pessoa Jurídica": offered exactly where it works ------------------------


CASES = [
    "wrong tenant, free",
    "wrong tenant, held by another integration",
    "wrong tenant of an Ativa integration",
    "refused kind",
    "unverified, first connection",
    "already the expected account",
    "no chosen id",
]


def _cases():
    """Every situation the acceptance rule distinguishes, by name."""
    tag = uuid.uuid4().hex[:8]
    expected = IntegrationFactory(expired=True, account_name="Esperada Ltda")
    active = IntegrationFactory(account_name="Ativa Ltda")
    owner = IntegrationFactory(external_id=f"tenant-de-outra-{tag}", account_name="Dona Ltda")
    return {
        "wrong tenant, free": make_attempt(
            integration=expected, chosen_external_id=f"livre-{tag}", chosen_account_name="Livre"
        ),
        "wrong tenant, held by another integration": make_attempt(
            integration=expected, chosen_external_id=owner.external_id, chosen_account_name="D"
        ),
        "wrong tenant of an Ativa integration": make_attempt(
            integration=active, chosen_external_id=f"livre2-{tag}", chosen_account_name="L2"
        ),
        "refused kind": make_attempt(
            integration=expected, outcome=Outcome.ACCOUNT_REFUSED, chosen_external_id="pf"
        ),
        "unverified, first connection": make_attempt(
            seller=expected.seller,
            outcome=Outcome.ACCOUNT_UNVERIFIED,
            chosen_external_id=f"coop-{tag}",
            chosen_account_name="Coop",
        ),
        "already the expected account": make_attempt(
            integration=expected, chosen_external_id=expected.external_id
        ),
        "no chosen id": make_attempt(integration=expected, chosen_external_id=""),
    }


@pytest.mark.parametrize("name", CASES)
def test_accept_is_offered_exactly_where_the_service_accepts(support_client, name):
    attempt = _cases()[name]
    url = admin_url("integrations_authorizationattempt_accept", attempt.pk)

    in_list = f'href="{url}"' in support_client.get(ATTEMPTS).content.decode()
    page = support_client.get(admin_url("integrations_authorizationattempt_change", attempt.pk))
    on_page = f'href="{url}"' in page.content.decode()
    try:
        integration_accept_account(attempt_id=attempt.pk, actor=UserFactory(membership=None))
    except SupportActionRefused:
        accepted = False
    else:
        accepted = True

    assert in_list == on_page == accepted


def test_accept_page_says_why_it_cannot_work(support_client):
    attempt = _cases()["wrong tenant, held by another integration"]

    response = support_client.get(admin_url("integrations_authorizationattempt_accept", attempt.pk))

    body = response.content.decode()
    assert "Esta tentativa não permite aceitar a conta escolhida." in body
    assert "Esta conta já é a da integração “Dona Ltda”" in body
    assert accept_label(attempt) == "Aceitar esta Pessoa Jurídica"


def test_the_attempts_list_needs_no_query_per_row_for_the_offer(support_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _cases()
    with CaptureQueriesContext(connection) as few:
        support_client.get(ATTEMPTS)
    _cases()
    with CaptureQueriesContext(connection) as more:
        support_client.get(ATTEMPTS)

    assert len(more) == len(few)


def test_the_account_type_is_said_in_portuguese(support_client):
    attempt = _cases()["unverified, first connection"]
    attempt.chosen_account_type = "Organization / Cooperative"
    attempt.save()

    body = support_client.get(ATTEMPTS).content.decode()

    assert "Organização / Cooperativa (“Organization / Cooperative” no marketplace)" in body
