"""The four support actions on the list and on the page: confirmation, effect, event, message."""

from unittest import mock

import pytest
from django.core import mail

from integrations.models import Integration, IntegrationEvent
from integrations.services.notifications import reactivation_url
from tests.admin import admin_url, make_event, messages_of
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = IntegrationEvent.Kind
LIST_URL = admin_url("integrations_integration_changelist")
SLUGS = {
    "refresh_now": "renovar-agora",
    "mark_expired": "marcar-expirado",
    "send_reactivation_link": "enviar-link",
    "disconnect": "desconectar",
}


@pytest.fixture
def queued_tasks():
    from integrations import tasks

    with mock.patch.object(tasks.refresh_integration_task, "apply_async") as apply_async:
        yield apply_async


# The actions whose confirmation step asks for a reason, and the one these tests give.
NEEDS_REASON = {"mark_expired", "disconnect"}
REASON = "Pedido da empresa por e-mail"


def _reason(name: str) -> dict:
    return {"motivo": REASON} if name in NEEDS_REASON else {}


def page_action(client, integration, name, *, confirm: bool):
    url = admin_url("integrations_integration_action", integration.pk, SLUGS[name])
    if not confirm:
        return client.get(url)
    return client.post(url, {"confirmado": "sim", **_reason(name)}, follow=True)


def list_action(client, integrations, name, *, confirm: bool):
    data = {"action": name, "select_across": "0", "_selected_action": [i.pk for i in integrations]}
    if confirm:
        data.update({"confirmado": "sim", **_reason(name)})
    else:
        data["index"] = "0"
    return client.post(LIST_URL, data, follow=confirm)


def admin_events(integration) -> list[IntegrationEvent]:
    return list(integration.events.exclude(kind=Kind.CONNECTED).order_by("created_at", "id"))


@pytest.mark.parametrize("name", SLUGS)
def test_page_action_asks_for_confirmation_and_changes_nothing_before_it(support_client, name):
    integration = IntegrationFactory()

    response = page_action(support_client, integration, name, confirm=False)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/integrations/integration/action_confirmation.html"
    assert "Não, voltar" in response.content.decode()
    assert admin_events(integration) == []
    integration.refresh_from_db()
    assert integration.is_active and integration.has_tokens


@pytest.mark.parametrize("name", SLUGS)
def test_list_action_asks_for_confirmation_and_changes_nothing_before_it(support_client, name):
    integrations = IntegrationFactory.create_batch(2)

    response = list_action(support_client, integrations, name, confirm=False)

    assert response.status_code == 200
    body = response.content.decode()
    assert integrations[0].account_name in body and integrations[1].account_name in body
    assert f'name="action" value="{name}"' in body
    assert all(admin_events(i) == [] for i in integrations)


@pytest.mark.parametrize("via", ["page", "list"])
def test_refresh_now_queues_a_forced_refresh_and_records_the_actor(
    support_client, support_user, queued_tasks, django_capture_on_commit_callbacks, via
):
    integration = IntegrationFactory(account_name="Renova Ltda")

    with django_capture_on_commit_callbacks(execute=True):
        if via == "page":
            response = page_action(support_client, integration, "refresh_now", confirm=True)
        else:
            response = list_action(support_client, [integration], "refresh_now", confirm=True)

    queued_tasks.assert_called_once()
    assert queued_tasks.call_args.kwargs["args"] == [integration.pk]
    assert queued_tasks.call_args.kwargs["kwargs"] == {"force": True}
    [event] = admin_events(integration)
    assert (event.kind, event.actor, event.details) == (
        Kind.ADMIN_ACTION,
        support_user,
        "Renovar agora: renovação enfileirada",
    )
    assert messages_of(response) == ["Renovação do token enfileirada: “Renova Ltda”."]


def test_refresh_now_twice_queues_once(
    support_client, queued_tasks, django_capture_on_commit_callbacks
):
    integration = IntegrationFactory()

    with django_capture_on_commit_callbacks(execute=True):
        page_action(support_client, integration, "refresh_now", confirm=True)
        page_action(support_client, integration, "refresh_now", confirm=True)

    queued_tasks.assert_called_once()
    assert [e.details for e in admin_events(integration)] == [
        "Renovar agora: renovação enfileirada",
        "Renovar agora: já havia uma renovação na fila",
    ]


def test_refresh_now_refuses_an_integration_without_tokens(support_client, queued_tasks):
    integration = IntegrationFactory(expired=True, account_name="Sem Token Ltda")

    response = page_action(support_client, integration, "refresh_now", confirm=True)

    assert messages_of(response) == [
        "“Sem Token Ltda” não tem tokens para renovar: envie o link de reativação à empresa."
    ]
    assert admin_events(integration) == []
    queued_tasks.assert_not_called()


@pytest.mark.parametrize("via", ["page", "list"])
def test_mark_expired_drops_tokens_emails_the_seller_and_records_the_actor(
    support_client, support_user, django_capture_on_commit_callbacks, via
):
    integration = IntegrationFactory(account_name="Vence Ltda")
    UserFactory(membership__seller=integration.seller, email="dona@vence.com.br")

    with django_capture_on_commit_callbacks(execute=True):
        if via == "page":
            response = page_action(support_client, integration, "mark_expired", confirm=True)
        else:
            response = list_action(support_client, [integration], "mark_expired", confirm=True)

    integration.refresh_from_db()
    assert integration.status == Integration.Status.EXPIRED
    assert not integration.has_tokens and integration.access_token_ciphertext == ""
    [event] = admin_events(integration)
    assert (event.kind, event.actor) == (Kind.EXPIRED, support_user)
    assert event.details == f"Marcada como Token Expirado pelo suporte: {REASON}"
    [email] = mail.outbox
    assert email.to == ["dona@vence.com.br"]
    assert reactivation_url(integration) in email.body
    assert messages_of(response) == [
        "Marcada(s) como Token Expirado, empresa avisada por e-mail: “Vence Ltda”."
    ]


def test_mark_expired_refuses_an_integration_already_expired(support_client):
    integration = IntegrationFactory(expired=True, account_name="Já Vencida Ltda")

    response = page_action(support_client, integration, "mark_expired", confirm=True)

    assert messages_of(response) == ["“Já Vencida Ltda” já está como Token Expirado."]
    assert admin_events(integration) == []


@pytest.mark.parametrize("via", ["page", "list"])
def test_send_reactivation_link_emails_every_active_user_and_records_the_actor(
    support_client, support_user, django_capture_on_commit_callbacks, via
):
    integration = IntegrationFactory(expired=True, account_name="Reativa Ltda")
    UserFactory(membership__seller=integration.seller, email="a@reativa.com.br")
    UserFactory(membership__seller=integration.seller, email="b@reativa.com.br")
    UserFactory(membership__seller=integration.seller, email="c@reativa.com.br", is_active=False)
    UserFactory(email="alheio@outra.com.br")

    with django_capture_on_commit_callbacks(execute=True):
        if via == "page":
            response = page_action(
                support_client, integration, "send_reactivation_link", confirm=True
            )
        else:
            response = list_action(
                support_client, [integration], "send_reactivation_link", confirm=True
            )

    # One e-mail per user (each with its own footer), sent whatever the daily limit.
    assert sorted(address for email in mail.outbox for address in email.to) == [
        "a@reativa.com.br",
        "b@reativa.com.br",
    ]
    assert all(reactivation_url(integration) in email.body for email in mail.outbox)
    [event] = admin_events(integration)
    assert (event.kind, event.actor, event.details) == (
        Kind.ADMIN_ACTION,
        support_user,
        "Link de reativação enviado por e-mail a 2 usuário(s)",
    )
    assert messages_of(response) == ["Link de reativação enviado por e-mail: “Reativa Ltda”."]


def test_send_reactivation_link_refuses_an_active_integration_or_a_seller_without_users(
    support_client, django_capture_on_commit_callbacks
):
    active = IntegrationFactory(account_name="Ativa Ltda")
    lonely = IntegrationFactory(expired=True, account_name="Sozinha Ltda")

    with django_capture_on_commit_callbacks(execute=True):
        response = list_action(
            support_client, [active, lonely], "send_reactivation_link", confirm=True
        )

    assert sorted(messages_of(response)) == [
        "A empresa de “Sozinha Ltda” não tem usuário ativo com e-mail.",
        "“Ativa Ltda” está Ativa: não há token expirado para reativar.",
    ]
    assert mail.outbox == []
    assert admin_events(active) == admin_events(lonely) == []


@pytest.mark.parametrize("via", ["page", "list"])
def test_disconnect_drops_tokens_keeps_history_and_records_the_actor(
    support_client, support_user, via
):
    integration = IntegrationFactory(account_name="Desliga Ltda")
    make_event(integration, Kind.REFRESHED, details="antes")

    if via == "page":
        response = page_action(support_client, integration, "disconnect", confirm=True)
    else:
        response = list_action(support_client, [integration], "disconnect", confirm=True)

    integration.refresh_from_db()
    assert integration.status == Integration.Status.DISCONNECTED
    assert not integration.has_tokens and integration.access_token_expires_at is None
    kinds = [(e.kind, e.actor) for e in admin_events(integration)]
    assert kinds == [(Kind.REFRESHED, None), (Kind.DISCONNECTED, support_user)]
    assert admin_events(integration)[-1].details == f"tokens apagados; motivo: {REASON}"
    assert messages_of(response) == [
        "Desconectada(s): tokens apagados, histórico mantido: “Desliga Ltda”."
    ]


def test_a_list_action_on_several_integrations_reports_done_and_refused(support_client):
    done = IntegrationFactory.create_batch(2)
    refused = IntegrationFactory(
        expired=True, status=Integration.Status.DISCONNECTED, account_name="Parada Ltda"
    )

    response = list_action(support_client, [*done, refused], "disconnect", confirm=True)

    assert messages_of(response) == [
        "“Parada Ltda” já está Desconectada.",
        "Desconectada(s): tokens apagados, histórico mantido: 2 integrações.",
    ]
    assert Integration.objects.filter(status=Integration.Status.DISCONNECTED).count() == 3


def test_selecting_more_than_a_hundred_is_refused(support_client):
    IntegrationFactory.create_batch(101)

    response = support_client.post(
        LIST_URL,
        {
            "action": "disconnect",
            "select_across": "1",
            "index": "0",
            "_selected_action": [Integration.objects.first().pk],
        },
        follow=True,
    )

    assert messages_of(response) == [
        "Selecione no máximo 100 integrações por vez para “Desconectar”."
    ]
    assert not Integration.objects.filter(status=Integration.Status.EXPIRED).exists()


@pytest.fixture
def viewer_client(client, django_user_model):
    """Staff who may look at integrations but run no action."""
    from django.contrib.auth.models import Permission

    user = UserFactory(membership=None, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_integration"))
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", SLUGS)
def test_actions_need_their_permission(viewer_client, name):
    integration = IntegrationFactory()

    assert page_action(viewer_client, integration, name, confirm=False).status_code == 403
    assert page_action(viewer_client, integration, name, confirm=True).status_code == 403
    listing = viewer_client.get(LIST_URL).content.decode()
    assert f'value="{name}"' not in listing
    list_action(viewer_client, [integration], name, confirm=True)
    integration.refresh_from_db()
    assert integration.is_active and integration.has_tokens
    assert admin_events(integration) == []
    body = viewer_client.get(admin_url("integrations_integration_change", integration.pk))
    assert SLUGS[name] not in body.content.decode()


def _breadcrumbs(response) -> str:
    body = response.content.decode()
    start = body.index('<ol class="breadcrumbs">')
    return body[start : body.index("</ol>", start)]


def test_the_confirmations_breadcrumbs_name_the_integration_only_from_its_page(support_client):
    integrations = IntegrationFactory.create_batch(2)
    first = integrations[0].account_name

    from_list = list_action(support_client, integrations, "refresh_now", confirm=False)
    from_page = page_action(support_client, integrations[0], "refresh_now", confirm=False)

    assert first not in _breadcrumbs(from_list)  # the list's action acts on a selection
    assert first in _breadcrumbs(from_page)
