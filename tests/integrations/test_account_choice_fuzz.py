"""Whatever a browser posts to the choice among several accounts: a 4xx that changes nothing, or
only accounts that were offered connected (every input: tests/fuzz)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations import crypto
from integrations.models import AuthorizationAttempt, Integration
from integrations.services.account_choice import _serialize
from integrations.services.attach import session_fingerprint
from marketplaces import TokenGrant

OFFERED = {"11": "Loja Onze", "12": "Loja Doze"}
REFUSED = "13"


def _waiting(seller, user, client) -> AuthorizationAttempt:
    session = client.session
    session["integrations.oauth_binding"] = "binding"
    session.save()
    now = timezone.now()
    attempt = AuthorizationAttempt.objects.create(
        seller=seller,
        user=user,
        marketplace="shopee",
        state_hash=crypto.encrypt(str(now), context="x")[:64],
        session_hash=session_fingerprint("binding"),
        expires_at=now + timedelta(minutes=10),
        consumed_at=now,
        outcome=AuthorizationAttempt.Outcome.AWAITING_CHOICE,
        offered_accounts=[
            *(_offer(key, name, "") for key, name in OFFERED.items()),
            _offer(REFUSED, "Loja Treze", AuthorizationAttempt.Outcome.OTHER_SELLER),
        ],
    )
    grant = TokenGrant("at", "rt", now + timedelta(hours=4), frozenset())
    attempt.set_pending_grant(_serialize(grant))
    attempt.save()
    return attempt


def _offer(key: str, name: str, refusal: str) -> dict:
    return {
        "external_id": key,
        "name": name,
        "kind": "legal_entity",
        "kind_raw": "BR",
        "has_seller_access": True,
        "document": "",
        "authorization_expires_at": None,
        "refusal": refusal,
        "reason": "já conectada" if refusal else "",
        "connected": False,
    }


ids = st.one_of(st.sampled_from([*OFFERED, REFUSED]), st.text(max_size=70))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(chosen=st.lists(ids, max_size=5), action=st.sampled_from([None, "conectar", "x", ""]))
@pytest.mark.django_db
def test_a_choice_connects_only_offered_accounts_or_changes_nothing(
    seller_client, seller, seller_user, chosen, action
):
    attempt = _waiting(seller, seller_user, seller_client)
    data = {"conta": chosen} | ({"acao": action} if action is not None else {})

    response = seller_client.post(reverse("integrations:choose_accounts", args=[attempt.pk]), data)

    connected = set(Integration.objects.filter(seller=seller).values_list("external_id", flat=True))
    valid = bool(chosen) and set(chosen) <= set(OFFERED)
    assert response.status_code == (302 if valid else 400)
    assert connected == (set(chosen) if valid else set())
    assert AuthorizationAttempt.objects.get(pk=attempt.pk).grant_ciphertext == (
        "" if valid else attempt.grant_ciphertext
    )
    Integration.objects.filter(seller=seller).delete()
    attempt.delete()
