"""The generic extension points a marketplace that is not plain OAuth 2.0 builds on: callback
parameters declared by the provider, an authorization that cannot be taken, the account id on
renewals and checks, and the authorization's own end date (page, reactivation list, notice)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from integrations import selectors
from integrations.account_health import State, health_of
from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from integrations.notices.authorization_end import authorization_ending_notify
from integrations.notices.models import Cause, Notice
from integrations.services.authorization import (
    integration_complete_authorization,
    integration_start_authorization,
)
from integrations.services.grants import apply_grant
from marketplaces import AuthorizationUnsupported, TokenGrant, provider_class
from tests.factories import IntegrationFactory

PROVIDER = provider_class("mercadolivre")
CALLBACK = reverse("integrations:callback", args=["mercadolivre"])


def _grant(**changes) -> TokenGrant:
    values = {
        "access_token": "access-new",
        "refresh_token": "refresh-new",
        "expires_at": timezone.now() + timedelta(hours=4),
        "scopes": frozenset(),
    }
    return TokenGrant(**{**values, **changes})


# --- the callback's declared parameters ------------------------------------------------------


def test_the_callback_hands_the_provider_s_declared_params_to_the_service(
    seller_client, monkeypatch
):
    monkeypatch.setattr(PROVIDER, "callback_params", ("shop_id", "main_account_id"))
    with mock.patch("integrations.views.integration_complete_authorization") as complete:
        complete.return_value.attempt = None
        complete.return_value.state_problem = "unknown"
        seller_client.get(CALLBACK, {"code": "c", "state": "s", "shop_id": "77", "other": "x"})

    assert complete.call_args.kwargs["extra"] == {"shop_id": "77", "main_account_id": ""}


def test_a_repeated_declared_param_is_refused_unread(seller_client, monkeypatch):
    monkeypatch.setattr(PROVIDER, "callback_params", ("shop_id",))
    with mock.patch("integrations.views.integration_complete_authorization") as complete:
        response = seller_client.get(f"{CALLBACK}?code=c&state=s&shop_id=1&shop_id=2")

    assert response.status_code == 302
    complete.assert_not_called()


def test_undeclared_params_never_reach_the_service(seller_client):
    with mock.patch("integrations.views.integration_complete_authorization") as complete:
        complete.return_value.attempt = None
        complete.return_value.state_problem = "unknown"
        seller_client.get(CALLBACK, {"code": "c", "state": "s", "shop_id": "77"})

    assert complete.call_args.kwargs["extra"] == {}


def _attempt_state(seller, user, integration=None) -> str:
    url = integration_start_authorization(
        seller=seller,
        user=user,
        session_binding="binding",
        marketplace="mercadolivre",
        integration=integration,
    )
    return next(p.split("=", 1)[1] for p in url.split("?", 1)[1].split("&") if "state=" in p)


def test_the_extra_params_reach_exchange_code_and_an_unsupported_one_changes_nothing(
    seller, seller_user, monkeypatch
):
    integration = IntegrationFactory(seller=seller, marketplace="mercadolivre", expired=True)
    before = Integration.objects.values().get(pk=integration.pk)
    monkeypatch.setattr(PROVIDER, "unsupported_authorization_hint", "Autorize loja por loja.")
    state = _attempt_state(seller, seller_user, integration)
    with mock.patch.object(
        PROVIDER, "exchange_code", side_effect=AuthorizationUnsupported("várias lojas")
    ) as exchange:
        result = integration_complete_authorization(
            marketplace="mercadolivre",
            state=state,
            code="code",
            error="",
            issuer="",
            session_binding="binding",
            user=seller_user,
            extra={"main_account_id": "9"},
        )

    (callback,) = exchange.call_args.args
    assert callback.params == {"main_account_id": "9"}
    assert result.outcome == AuthorizationAttempt.Outcome.UNSUPPORTED
    assert result.title == "Autorize de outra forma"
    assert result.text == "Autorize loja por loja. Nada foi alterado na sua integração."
    assert result.level == "warning"
    assert Integration.objects.values().get(pk=integration.pk) == before
    event = integration.events.get()
    assert event.kind == IntegrationEvent.Kind.AUTHORIZATION_FAILED
    assert "forma que o hub não aceita" in event.details


# --- the authorization's own end ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_grant_s_authorization_end_is_stored_and_a_renewal_without_one_keeps_it():
    integration = IntegrationFactory(marketplace="mercadolivre")
    ends = timezone.now() + timedelta(days=365)

    apply_grant(integration, _grant(authorization_expires_at=ends))
    assert integration.authorization_expires_at == ends
    apply_grant(integration, _grant())
    assert integration.authorization_expires_at == ends


@pytest.mark.django_db
def test_the_page_line_shows_the_authorization_end_date():
    ends = timezone.make_aware(timezone.datetime(2027, 3, 12, 15, 0))
    integration = IntegrationFactory(marketplace="mercadolivre", authorization_expires_at=ends)

    health = health_of(integration)

    assert health.state == State.OK
    assert health.line == "Renovação automática · Autorização válida até 12/03/2027"


@pytest.mark.django_db
def test_without_an_end_date_the_line_is_unchanged():
    assert health_of(IntegrationFactory()).line == "Renovação automática"


@pytest.mark.django_db
@pytest.mark.parametrize(("days", "word"), [(6, "vence em"), (-1, "venceu em")])
def test_inside_the_warning_window_the_seller_is_asked_to_authorize_again(days, word):
    ends = timezone.now() + timedelta(days=days)
    integration = IntegrationFactory(marketplace="mercadolivre", authorization_expires_at=ends)

    health = health_of(integration)

    assert health.state == State.AUTHORIZATION_ENDING
    assert (health.tone, health.label) == ("notice", "Ativo")
    assert health.line == (
        f"A autorização {word} {timezone.localtime(ends):%d/%m/%Y} e não se renova sozinha: "
        "autorize de novo antes disso para os pedidos continuarem chegando"
    )
    (step,) = health.steps
    assert step.label == "Autorizar de novo" and step.primary
    assert step.url.endswith(f"?integracao={integration.pk}")


@pytest.mark.django_db
def test_an_ending_authorization_can_be_renewed_from_the_reactivation_page(seller):
    soon = IntegrationFactory(
        seller=seller,
        marketplace="mercadolivre",
        authorization_expires_at=timezone.now() + timedelta(days=3),
    )
    IntegrationFactory(
        seller=seller,
        marketplace="mercadolivre",
        authorization_expires_at=timezone.now() + timedelta(days=30),
    )

    listed = selectors.reactivatable_integrations_for_seller(
        seller=seller, marketplace="mercadolivre"
    )

    assert listed == [soon]


def test_the_seller_is_told_once_per_window_and_again_after_a_new_authorization(
    seller, seller_user, django_capture_on_commit_callbacks
):
    now = timezone.now()
    integration = IntegrationFactory(
        seller=seller, marketplace="mercadolivre", authorization_expires_at=now + timedelta(days=6)
    )
    IntegrationFactory(  # outside its window: not yet
        seller=seller, marketplace="mercadolivre", authorization_expires_at=now + timedelta(days=9)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert authorization_ending_notify() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert authorization_ending_notify() == 0

    notice = Notice.objects.get(cause=Cause.AUTHORIZATION_ENDING)
    assert notice.integration == integration and notice.user == seller_user
    assert notice.title == f"Autorização perto do fim: Mercado Livre · {integration.account_name}"
    assert f"vale até {timezone.localtime(integration.authorization_expires_at):%d/%m/%Y}" in (
        notice.text
    )
    assert notice.action_label == "Autorizar de novo"
    (email,) = mail.outbox
    assert email.subject == notice.title

    # Authorized again for a year; a year later, the new window tells again.
    Integration.objects.filter(pk=integration.pk).update(
        authorization_expires_at=now + timedelta(days=365)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert authorization_ending_notify(now=now + timedelta(days=360)) == 1
    assert Notice.objects.filter(cause=Cause.AUTHORIZATION_ENDING).count() == 2


@pytest.mark.django_db
def test_an_expired_integration_is_not_told_its_authorization_ends():
    IntegrationFactory(
        marketplace="mercadolivre",
        expired=True,
        authorization_expires_at=timezone.now() + timedelta(days=2),
    )

    assert authorization_ending_notify() == 0


# --- the account id on renewals and checks ---------------------------------------------------


@pytest.mark.django_db
def test_the_keeper_passes_the_account_id_to_the_provider():
    from integrations.services.health import integration_health_check

    integration = IntegrationFactory(marketplace="mercadolivre", external_id="123456001")
    provider = mock.Mock()
    with mock.patch("integrations.services.health.get_provider", return_value=provider):
        integration_health_check(integration_id=integration.pk)

    provider.check_access_token.assert_called_once_with(
        access_token=integration.access_token, account_id="123456001"
    )
