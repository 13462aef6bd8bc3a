"""Tests of the support staff's Django admin."""

import uuid
from datetime import timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from integrations.models import AuthorizationAttempt, IntegrationEvent


def admin_url(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args)


def make_attempt(
    *,
    integration=None,
    seller=None,
    user=None,
    outcome=AuthorizationAttempt.Outcome.WRONG_TENANT,
    chosen_external_id: str = "",
    chosen_account_name: str = "",
    expires_at=None,
    verifier=None,
) -> AuthorizationAttempt:
    attempt = AuthorizationAttempt(
        seller=seller or integration.seller,
        user=user,
        integration=integration,
        marketplace="magalu",
        state_hash=uuid.uuid4().hex * 2,
        session_hash=uuid.uuid4().hex * 2,
        expires_at=expires_at or timezone.now() + timedelta(minutes=10),
        consumed_at=timezone.now() if outcome != AuthorizationAttempt.Outcome.PENDING else None,
        outcome=outcome,
        chosen_external_id=chosen_external_id,
        chosen_account_name=chosen_account_name,
    )
    if verifier:
        attempt.set_code_verifier(verifier)
    attempt.save()
    return attempt


def make_event(integration, kind, *, ago=timedelta(0), actor=None, details="") -> IntegrationEvent:
    return IntegrationEvent.objects.create(
        integration=integration,
        kind=kind,
        actor=actor,
        details=details,
        created_at=timezone.now() - ago,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def make_login_records(username: str = "ana", *, failures: int = 2) -> None:
    """One of each django-axes record (a lockout counter, a login, a failed login)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    request = {
        "username": username,
        "ip_address": "10.0.0.1",
        "user_agent": "Firefox",
        "http_accept": "text/html",
        "path_info": "/entrar/",
    }
    AccessAttempt.objects.create(
        **request, get_data="", post_data="", failures_since_start=failures
    )
    AccessLog.objects.create(**request)
    AccessFailureLog.objects.create(**request)
