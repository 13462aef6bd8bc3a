"""The support services called directly: return values, refusals and the recorded actor."""

from unittest import mock

import pytest

from integrations.models import IntegrationEvent
from integrations.services.support import (
    SupportActionRefused,
    integration_accept_account,
    integration_mark_expired_by_staff,
    integration_refresh_now,
)
from tests.admin import make_attempt
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return UserFactory(membership=None, is_staff=True)


def test_refresh_now_tells_whether_it_queued(staff):
    integration = IntegrationFactory()

    with mock.patch("integrations.tasks.refresh_integration_task"):
        assert integration_refresh_now(integration_id=integration.pk, actor=staff) is True
        assert integration_refresh_now(integration_id=integration.pk, actor=staff) is False

    assert integration.events.filter(actor=staff).count() == 2


def test_mark_expired_by_staff_keeps_the_reason_and_the_actor(staff):
    integration = IntegrationFactory()

    integration_mark_expired_by_staff(
        integration_id=integration.pk, actor=staff, reason="seller pediu por telefone"
    )

    event = integration.events.get()
    assert (event.kind, event.actor) == (IntegrationEvent.Kind.EXPIRED, staff)
    assert event.details == "Marcada como Token Expirado pelo suporte: seller pediu por telefone"
    integration.refresh_from_db()
    assert integration.last_error == event.details


def test_accept_tenant_refuses_the_tenant_already_expected(staff):
    integration = IntegrationFactory(expired=True, external_id="tenant-a")
    attempt = make_attempt(
        integration=integration, chosen_external_id="tenant-a", chosen_account_name="A Ltda"
    )

    with pytest.raises(SupportActionRefused, match="já é a conta esperada"):
        integration_accept_account(attempt_id=attempt.pk, actor=staff)


def test_accept_tenant_refuses_an_attempt_without_the_chosen_id(staff):
    integration = IntegrationFactory(expired=True)
    attempt = make_attempt(integration=integration, chosen_account_name="Sem Id Ltda")

    with pytest.raises(SupportActionRefused, match="não registrou o id"):
        integration_accept_account(attempt_id=attempt.pk, actor=staff)
    assert not integration.events.exists()


def test_accept_tenant_keeps_the_old_name_when_none_was_chosen(staff):
    integration = IntegrationFactory(expired=True, account_name="Nome Antigo Ltda")
    attempt = make_attempt(integration=integration, chosen_external_id="tenant-novo")

    accepted = integration_accept_account(attempt_id=attempt.pk, actor=staff)

    assert (accepted.external_id, accepted.account_name) == ("tenant-novo", "Nome Antigo Ltda")
