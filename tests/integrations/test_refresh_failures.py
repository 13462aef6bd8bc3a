"""Every way a refresh can fail, with the stand-in's fault switches: what is marked, what is not."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from integrations import tasks
from integrations.models import Integration, IntegrationEvent
from integrations.services.keeper_queue import integration_enqueue_refresh
from integrations.services.refresh import RefreshOutcome, integration_refresh
from marketplaces import GrantRevoked, TemporarilyUnavailable, TokenGrant
from marketplaces.magalu.standin import issuer
from marketplaces.sandbox import faults
from tests.factories import IntegrationFactory
from tests.integrations.conftest import sandbox_account
from tests.worker_run import run_as_worker

Kind = IntegrationEvent.Kind


def _kinds(integration: Integration) -> list[str]:
    return list(integration.events.order_by("id").values_list("kind", flat=True))


def _assert_no_token_material(caplog, account) -> None:
    text = " ".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
    assert account.access_token not in text
    assert account.refresh_token not in text


# --- The grant is dead: Token Expirado, the seller is told ----------------------------------------


def test_invalid_grant_marks_token_expirado_and_emails_the_seller(
    sandbox_http, due_account, seller_user, django_capture_on_commit_callbacks, caplog
):
    faults.arm(faults.REFRESH, faults.INVALID_GRANT)

    with django_capture_on_commit_callbacks(execute=True):
        result = integration_refresh(integration_id=due_account.integration.pk)

    assert result.outcome == RefreshOutcome.EXPIRED
    integration = due_account.reload()
    assert integration.status == Integration.Status.EXPIRED
    assert not integration.has_tokens
    reason = (
        "Magazine Luiza recusou a renovação do token (invalid_grant): a autorização foi revogada "
        "ou expirou. Reative a integração para voltar a receber pedidos."
    )
    assert integration.last_error == reason
    assert integration.last_error_at is not None
    event = integration.events.get()
    assert (event.kind, event.details) == (Kind.EXPIRED, reason)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [seller_user.email]
    assert message.subject == f"Token expirado: Magazine Luiza · {integration.account_name}"
    link = f"http://hub.test{reverse('integrations:reactivate_confirm', args=['magalu'])}"
    assert f"{link}?integracao={integration.pk}" in message.body
    assert reason in message.body
    _assert_no_token_material(caplog, due_account)


def test_a_refresh_token_the_stand_in_already_rotated_is_a_dead_grant(sandbox_http, due_account):
    issuer.refresh_tokens(refresh_token=due_account.refresh_token)  # used elsewhere

    result = integration_refresh(integration_id=due_account.integration.pk)

    assert result.outcome == RefreshOutcome.EXPIRED
    assert _kinds(due_account.reload()) == [Kind.EXPIRED]
    assert faults.token_requests("refresh_token", outcome="invalid_grant") == 1


def _store_another_pair(integration: Integration) -> None:
    """What a reauthorization does while a refresh's request is out."""
    other = Integration.objects.get(pk=integration.pk)
    other.set_tokens(access_token="a2", refresh_token="r2")
    other.save(update_fields=["access_token_ciphertext", "refresh_token_ciphertext"])


def test_invalid_grant_for_a_token_replaced_meanwhile_changes_nothing(sandbox_http, due_account):
    """Another writer stored a new pair while our request was out: the token we sent was stale."""
    integration = due_account.integration

    def replaced_then_refused(*, refresh_token, account_id=""):
        _store_another_pair(integration)
        raise GrantRevoked("Magazine Luiza: recusado (HTTP 400, invalid_grant)")

    with mock.patch(
        "marketplaces.magalu.provider.MagaluProvider.refresh", side_effect=replaced_then_refused
    ):
        result = integration_refresh(integration_id=integration.pk)

    assert result.outcome == RefreshOutcome.SUPERSEDED
    integration = due_account.reload()
    assert integration.is_active
    assert integration.refresh_token == "r2"
    assert _kinds(integration) == []
    assert mail.outbox == []


def test_a_pair_granted_after_another_writer_stored_theirs_is_not_stored(sandbox_http, due_account):
    """The compare-and-swap: a reauthorization stored its pair while our request was out."""
    integration = due_account.integration

    def replaced_then_granted(*, refresh_token, account_id=""):
        _store_another_pair(integration)
        return TokenGrant(
            access_token="late-access",
            refresh_token="late-refresh",
            expires_at=timezone.now() + timedelta(hours=2),
            scopes=frozenset({"open:order-order:read"}),
        )

    with mock.patch(
        "marketplaces.magalu.provider.MagaluProvider.refresh", side_effect=replaced_then_granted
    ):
        result = integration_refresh(integration_id=integration.pk)

    assert result.outcome == RefreshOutcome.SUPERSEDED
    integration = due_account.reload()
    assert (integration.access_token, integration.refresh_token) == ("a2", "r2")
    assert _kinds(integration) == []  # no "Token renovado" for a pair that was not stored


# --- Transient: retried later, never Token Expirado ----------------------------------------------

# (fault, HTTP status the hub sees, whether the request may still land (no answer), whether the
# server answered with an error after which the token may be rotated)
TRANSIENT = [
    pytest.param(faults.TIMEOUT, None, True, False, id="timeout"),
    pytest.param(faults.CONNECT_ERROR, None, False, False, id="connection-error"),
    pytest.param(faults.SERVER_ERROR, 500, False, True, id="500"),
    pytest.param(faults.UNAVAILABLE, 503, False, False, id="503"),
    pytest.param(faults.RATE_LIMITED, 429, False, False, id="429"),
]


@pytest.mark.parametrize(("mode", "status", "unknown", "doubt"), TRANSIENT)
def test_transient_failure_is_recorded_never_expired_even_after_the_token_ran_out(
    sandbox_http,
    seller,
    seller_user,
    settings,
    sent_tasks,
    django_capture_on_commit_callbacks,
    caplog,
    mode,
    status,
    unknown,
    doubt,
):
    # No late-arrival window to wait out here: the retries follow at once.
    settings.INTEGRATIONS_ROTATION_WINDOW_MINUTES = 0
    # The access token ran out an hour ago (the hub was down, say): still not the seller's problem.
    account = sandbox_account(seller=seller, expires_in=-timedelta(hours=1))
    faults.arm(faults.REFRESH, mode, times=2, retry_after=7, delay_ms=0)

    for _attempt in range(2):
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(TemporarilyUnavailable) as raised,
        ):
            integration_refresh(integration_id=account.integration.pk)

    assert raised.value.status == status
    assert raised.value.outcome_unknown is unknown
    assert raised.value.answered_in_doubt is doubt
    integration = account.reload()
    assert integration.status == Integration.Status.ACTIVE
    assert integration.refresh_token == account.refresh_token  # kept: it was never consumed
    assert (integration.rotation_unknown_since is not None) is unknown
    assert (integration.rotation_doubt_since is not None) is doubt
    assert integration.refresh_lease_id is None
    assert integration.last_error.startswith("Não foi possível renovar o token agora:")
    assert "a integração continua ativa" in integration.last_error
    assert integration.last_error_at is not None
    assert _kinds(integration) == [Kind.REFRESH_FAILED, Kind.REFRESH_FAILED]
    assert mail.outbox == []
    _assert_no_token_material(caplog, account)

    # Once ID Magalu is back, the same refresh token still works; after an unknown outcome the
    # new pair is checked against the API later.
    with django_capture_on_commit_callbacks(execute=True):
        assert integration_refresh(integration_id=account.integration.pk).refreshed
    integration = account.reload()
    assert integration.last_error == ""
    assert integration.rotation_unknown_since is None
    assert integration.rotation_doubt_since is None
    # Only a request that may still land leaves a pair to check: after a 500 the retry itself
    # showed that the token worked.
    assert (integration.rotation_verify_after is not None) is unknown
    assert [task.name for task in sent_tasks] == ["integrations.verify_rotation"] * unknown


def test_429_carries_the_retry_after(sandbox_http, due_account):
    faults.arm(faults.REFRESH, faults.RATE_LIMITED, retry_after=42)

    with pytest.raises(TemporarilyUnavailable) as raised:
        integration_refresh(integration_id=due_account.integration.pk)

    assert (raised.value.status, raised.value.retry_after) == (429, 42)


@pytest.mark.postgres
def test_a_real_read_timeout_on_a_socket_is_transient(
    transactional_db, live_sandbox, settings, seller
):
    settings.MAGALU_READ_TIMEOUT = 0.3
    account = sandbox_account(seller=seller)
    faults.arm(faults.REFRESH, faults.TIMEOUT, delay_ms=1200)

    with pytest.raises(TemporarilyUnavailable) as raised:
        integration_refresh(integration_id=account.integration.pk)

    assert raised.value.outcome_unknown
    assert account.reload().is_active


# --- Our misconfiguration: logged loudly, nothing marked -----------------------------------------


def test_invalid_client_is_logged_for_operators_and_never_marks_expired(
    sandbox_http, due_account, django_capture_on_commit_callbacks, caplog
):
    faults.arm(faults.REFRESH, faults.INVALID_CLIENT)

    with django_capture_on_commit_callbacks(execute=True):
        result = integration_refresh(integration_id=due_account.integration.pk)

    assert result.outcome == RefreshOutcome.MISCONFIGURED
    integration = due_account.reload()
    assert integration.status == Integration.Status.ACTIVE
    assert integration.refresh_token == due_account.refresh_token
    assert integration.last_error == (
        "Não foi possível renovar o token por um erro de configuração do hub (não é um problema "
        "da sua conta). Nossa equipe foi avisada."
    )
    event = integration.events.get()
    assert event.kind == Kind.REFRESH_FAILED
    assert "invalid_client" in event.details
    assert mail.outbox == []
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in errors] == ["integrations.refresh.misconfigured"]
    assert errors[0].integration_id == integration.pk
    assert errors[0].error_code == "invalid_client"
    _assert_no_token_material(caplog, due_account)


@pytest.mark.django_db
def test_an_unknown_marketplace_is_misconfiguration(sandbox_http):
    integration = IntegrationFactory(
        marketplace="gone", access_token_expires_at=timezone.now() + timedelta(minutes=1)
    )

    assert integration_refresh(integration_id=integration.pk).outcome == "misconfigured"
    integration.refresh_from_db()
    assert integration.is_active


# --- A stored token nobody can read --------------------------------------------------------------


def test_an_undecryptable_token_expires_the_integration_without_crashing(
    sandbox_http, due_account, django_capture_on_commit_callbacks, caplog
):
    Integration.objects.filter(pk=due_account.integration.pk).update(
        refresh_token_ciphertext="gAAAAAbroken"
    )

    with django_capture_on_commit_callbacks(execute=True):
        result = integration_refresh(integration_id=due_account.integration.pk)

    assert result.outcome == RefreshOutcome.UNREADABLE
    integration = due_account.reload()
    assert integration.status == Integration.Status.EXPIRED
    assert _kinds(integration) == [Kind.TOKEN_UNREADABLE]
    assert integration.last_error.startswith("Não foi possível ler o token guardado")
    assert len(mail.outbox) == 1
    assert faults.token_requests() == 0
    assert "integrations.refresh.token_unreadable" in [
        r.getMessage() for r in caplog.records if r.levelno == logging.ERROR
    ]


# --- The task: retries only transient failures, honouring Retry-After ----------------------------


def test_the_task_retries_no_sooner_than_retry_after(sandbox_http, due_account, settings):
    settings.INTEGRATIONS_REFRESH_BACKOFF_BASE_SECONDS = 1
    faults.arm(faults.REFRESH, faults.RATE_LIMITED, retry_after=120)
    pk = due_account.integration.pk
    assert integration_enqueue_refresh(integration_id=pk) is True  # the slot the task holds

    retry, sent = run_as_worker(tasks.refresh_integration_task, pk)

    assert isinstance(retry, Retry)
    assert retry.when == 120
    (signature,), _ = sent.call_args
    assert signature.options["countdown"] == 120
    assert (list(signature.args), signature.kwargs) == ([pk], {})  # the id, never a token
    # Still queued while it waits: the sweep cannot add a second refresh of it.
    assert integration_enqueue_refresh(integration_id=pk) is False


def test_the_backoff_grows_exponentially_with_jitter_and_a_cap(settings):
    settings.INTEGRATIONS_REFRESH_BACKOFF_BASE_SECONDS = 10
    settings.INTEGRATIONS_REFRESH_BACKOFF_CAP_SECONDS = 300
    for retries, (low, high) in enumerate([(5, 10), (10, 20), (20, 40), (40, 80)]):
        countdowns = {tasks.retry_countdown(retries=retries, retry_after=None) for _ in range(50)}
        assert all(low <= c <= high for c in countdowns)
        assert len(countdowns) > 1  # jittered
    assert tasks.retry_countdown(retries=20, retry_after=None) <= 300
    assert tasks.retry_countdown(retries=0, retry_after=90) == 90
    settings.INTEGRATIONS_RETRY_AFTER_CAP_SECONDS = 600
    assert tasks.retry_countdown(retries=0, retry_after=86_400) == 600


def test_after_the_last_retry_the_task_gives_up_and_frees_the_slot(sandbox_http, due_account):
    faults.arm(faults.REFRESH, faults.UNAVAILABLE)
    pk = due_account.integration.pk
    integration_enqueue_refresh(integration_id=pk)

    result, sent = run_as_worker(tasks.refresh_integration_task, pk, retries=6)

    assert result == {"integration_id": pk, "outcome": "unavailable"}
    sent.assert_not_called()
    assert due_account.reload().is_active
    assert integration_enqueue_refresh(integration_id=pk) is True  # the next sweep may try


def test_definitive_outcomes_are_not_retried(sandbox_http, due_account):
    faults.arm(faults.REFRESH, faults.INVALID_GRANT)
    pk = due_account.integration.pk

    result, sent = run_as_worker(tasks.refresh_integration_task, pk)

    assert result == {"integration_id": pk, "outcome": "expired"}
    sent.assert_not_called()
