"""One authorization for several accounts (``TokenGrant.accounts``: a marketplace login that
manages several stores authorizes them at once): the seller confirms which become integrations.

The callback exchanges the code once and checks every account as a single authorization would
(``attach``: a kind the provider accepts, seller access, nobody else's in the hub); a refused
account is shown with its reason, never offered. The pair waits on the attempt, encrypted, for the
seller's confirmation (as long as a consent trip may last); the confirmation stores one integration
per chosen account in one transaction, each holding the pair encrypted for its own row, and wipes
it from the attempt. Each integration's own first refresh then gives it a pair of its own, through
the keeper like any refresh (its lease, its unknown-outcome rules): the provider renews with the
integration's account id, and the marketplace answers that account's pair.
"""

import hmac
import json
import logging
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from hub.text import clean_text
from integrations import conf
from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from integrations.services.attach import (
    ACCOUNT_NAME_MAX,
    account_verdict,
    connect_account,
    refuse,
    session_fingerprint,
    taken_by_another_seller,
)
from integrations.services.outcomes import AuthorizationResult, refusal_reason, result_for
from marketplaces import AccountKind, ChosenAccount, OAuth2Provider, TokenGrant

logger = logging.getLogger(__name__)

Outcome = AuthorizationAttempt.Outcome
CHOICE_ABANDONED = "escolha das contas expirada"


class ChoiceRefused(ValueError):
    """The choice names an account that was not offered, or none."""


def offer_accounts(
    *, attempt: AuthorizationAttempt, provider: OAuth2Provider, grant: TokenGrant
) -> AuthorizationResult:
    """After the exchange: each account checked and named, the pair kept for the confirmation.

    Raises the provider's errors (the callback refuses the attempt with them)."""
    accounts = [
        provider.identify_account(grant=replace(grant, account_id=external_id, accounts=()))
        for external_id in grant.accounts
    ]
    offers = [_offer(attempt, provider, external_id, account)
              for external_id, account in zip(grant.accounts, accounts, strict=True)]  # fmt: skip
    attempt.offered_accounts = offers
    attempt.save(update_fields=["offered_accounts"])  # the evidence, whatever follows
    everyone = ChosenAccount(None, _names(offers), kind=AccountKind.UNKNOWN)
    expected = attempt.integration
    if expected is not None and expected.external_id not in grant.accounts:
        return refuse(
            attempt,
            Outcome.WRONG_TENANT,
            account=everyone,
            details=f"esperada: {expected.account_name}; autorizadas: {', '.join(grant.accounts)}",
        )
    offered = [offer for offer in offers if not offer["refusal"]]
    if not offered:
        # Nothing the hub can connect: the first account's reason is the attempt's.
        account = _chosen(offers[0])
        return refuse(attempt, offers[0]["refusal"], account=account, details=offers[0]["details"])
    attempt.set_pending_grant(_serialize(grant))
    attempt.outcome = Outcome.AWAITING_CHOICE
    attempt.chosen_account_name = clean_text(everyone.name, ACCOUNT_NAME_MAX)
    attempt.save(update_fields=["grant_ciphertext", "outcome", "chosen_account_name"])
    logger.info(
        "integrations.authorization.awaiting_choice",
        extra={"attempt_id": attempt.pk, "offered": len(offered), "accounts": len(offers)},
    )
    return AuthorizationResult(
        Outcome.AWAITING_CHOICE,
        "Escolha as contas",
        f"Você autorizou {len(offers)} contas de uma vez {provider.in_screen}.",
        "info",
        attempt,
    )


def account_choice_for(
    *, attempt_id: int, seller, user, session_binding: str
) -> AuthorizationAttempt | None:
    """The attempt of this seller, user and browser session that offered several accounts."""
    attempt = (
        AuthorizationAttempt.objects.select_related("integration")
        .filter(pk=attempt_id, seller=seller, user=user)
        .exclude(offered_accounts=[])
        .first()
    )
    if attempt is None or not hmac.compare_digest(
        attempt.session_hash, session_fingerprint(session_binding)
    ):
        return None
    return attempt


def account_choice_open(*, attempt: AuthorizationAttempt) -> AuthorizationResult | None:
    """None while the attempt waits for its choice; else how it ended (an abandoned choice is
    ended here: its pair wiped)."""
    if attempt.outcome != Outcome.AWAITING_CHOICE:
        return result_for(Outcome.EXPIRED_STATE, reason="reused", attempt=attempt)
    if choice_deadline(attempt) > timezone.now():
        return None
    return _end(attempt, Outcome.EXPIRED_STATE, CHOICE_ABANDONED)


def choice_deadline(attempt: AuthorizationAttempt) -> datetime:
    """The seller chooses within a consent trip's time after the callback."""
    return (attempt.consumed_at or attempt.created_at) + conf.authorization_state_ttl()


def abandoned_choices_end(*, now: datetime) -> int:
    """Ends every choice left waiting past its deadline, its pair wiped (the periodic cleanup;
    one the seller comes back to is ended by ``account_choice_open``); returns how many."""
    return AuthorizationAttempt.objects.filter(
        outcome=Outcome.AWAITING_CHOICE, consumed_at__lt=now - conf.authorization_state_ttl()
    ).update(outcome=Outcome.EXPIRED_STATE, grant_ciphertext="", details=CHOICE_ABANDONED)


def integration_decline_accounts(*, attempt: AuthorizationAttempt) -> AuthorizationResult:
    """The seller cancelled on the confirmation: nothing connected, the pair wiped."""
    return account_choice_open(attempt=attempt) or _end(
        attempt, Outcome.CANCELLED, "o seller não confirmou nenhuma conta"
    )


def integration_confirm_accounts(
    *, attempt: AuthorizationAttempt, user, external_ids: Collection[str]
) -> AuthorizationResult:
    """One integration per chosen account, all in one transaction, each with the pair.

    Raises ``ChoiceRefused`` (nothing changed) when the choice is empty or names an account
    that was not offered."""
    if (ended := account_choice_open(attempt=attempt)) is not None:
        return ended
    try:
        with transaction.atomic():
            locked = AuthorizationAttempt.objects.select_for_update().get(pk=attempt.pk)
            if locked.outcome != Outcome.AWAITING_CHOICE:  # a second tab confirmed first
                return result_for(Outcome.EXPIRED_STATE, reason="reused", attempt=locked)
            offered = {o["external_id"]: o for o in locked.offered_accounts if not o["refusal"]}
            if not external_ids or not set(external_ids) <= set(offered):
                raise ChoiceRefused("conta fora da lista oferecida")
            chosen = [offer for key, offer in offered.items() if key in external_ids]
            grant = _deserialize(locked.pending_grant)
            kinds = _connect(locked, grant, chosen, user)
    except (IntegrityError, _Taken):
        # Another seller connected one of them since the offer: nothing was stored.
        return _end(attempt, Outcome.OTHER_SELLER, "conta já conectada a outra empresa")
    renewed = all(kind == IntegrationEvent.Kind.REAUTHORIZED for kind in kinds)
    logger.info(
        "integrations.authorization.succeeded",
        extra={"attempt_id": locked.pk, "integrations": len(chosen)},
    )
    return result_for(
        Outcome.SUCCESS,
        attempt=locked,
        account=ChosenAccount(None, _names(chosen)),
        reason="renewed" if renewed else "connected",
    )


class _Taken(Exception):
    """An account was connected to another seller between the offer and the confirmation."""


def _connect(attempt: AuthorizationAttempt, grant: TokenGrant, chosen: list[dict], user) -> list:
    kinds, first = [], None
    for offer in chosen:
        if taken_by_another_seller(attempt, offer["external_id"]):
            raise _Taken
        integration, kind = connect_account(
            attempt=attempt, grant=grant, account=_chosen(offer), user=user
        )
        offer["connected"] = True
        kinds.append(kind)
        first = first or integration
    attempt.integration = attempt.integration or first
    attempt.outcome = Outcome.SUCCESS
    attempt.grant_ciphertext = ""
    attempt.chosen_account_name = clean_text(_names(chosen), ACCOUNT_NAME_MAX)
    attempt.save(
        update_fields=[
            "integration",
            "outcome",
            "grant_ciphertext",
            "offered_accounts",
            "chosen_account_name",
        ]
    )
    return kinds


def _end(attempt: AuthorizationAttempt, outcome: str, details: str) -> AuthorizationResult:
    """Ends a waiting choice: the pair wiped (nothing was connected with it). One another request
    ended first (a second tab confirmed) is left as it ended."""
    with transaction.atomic():
        locked = AuthorizationAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.outcome != Outcome.AWAITING_CHOICE:
            return result_for(Outcome.EXPIRED_STATE, reason="reused", attempt=locked)
        locked.grant_ciphertext = ""
        locked.save(update_fields=["grant_ciphertext"])
        return refuse(locked, outcome, details=details)


def _offer(
    attempt: AuthorizationAttempt,
    provider: OAuth2Provider,
    external_id: str,
    account: ChosenAccount,
) -> dict:
    """What the seller (and support) see of one account, and why the hub refuses it, if it does."""
    verdict = account_verdict(provider, account, attempt=attempt)
    if verdict is None and account.external_id != external_id:
        verdict = Outcome.PROVIDER_ERROR, "o marketplace descreveu outra conta"
    if verdict is None and taken_by_another_seller(attempt, external_id):
        verdict = Outcome.OTHER_SELLER, "conta já conectada a outra empresa"
    refusal = verdict[0] if verdict else ""
    ends = account.authorization_expires_at
    return {
        "external_id": external_id,
        "name": clean_text(account.name, ACCOUNT_NAME_MAX) or external_id,
        "kind": account.kind.value,
        "kind_raw": clean_text(account.kind_raw, 64),
        "has_seller_access": account.has_seller_access,
        "document": clean_text(account.document, 64),
        "authorization_expires_at": ends.isoformat() if ends else None,
        "refusal": refusal,
        "reason": refusal_reason(refusal, attempt=attempt, account=account) if refusal else "",
        "details": verdict[1] if verdict else "",  # for support: what exactly was wrong
        # Already this seller's: confirming it reactivates that integration with the new pair.
        "known": not refusal
        and Integration.objects.filter(
            seller=attempt.seller_id, marketplace=attempt.marketplace, external_id=external_id
        ).exists(),
        "connected": False,
    }


def _chosen(offer: dict) -> ChosenAccount:
    ends = offer["authorization_expires_at"]
    return ChosenAccount(
        external_id=offer["external_id"],
        name=offer["name"],
        kind=AccountKind(offer["kind"]),
        kind_raw=offer["kind_raw"],
        has_seller_access=offer["has_seller_access"],
        document=offer["document"],
        authorization_expires_at=datetime.fromisoformat(ends) if ends else None,
    )


def _names(offers: list[dict]) -> str:
    return ", ".join(offer["name"] for offer in offers)


def _serialize(grant: TokenGrant) -> str:
    ends = grant.authorization_expires_at
    return json.dumps(
        {
            "access_token": grant.access_token,
            "refresh_token": grant.refresh_token,
            "expires_at": grant.expires_at.isoformat(),
            "scopes": sorted(grant.scopes),
            "authorization_expires_at": ends.isoformat() if ends else None,
        }
    )


def _deserialize(serialized: str) -> TokenGrant:
    data = json.loads(serialized)
    ends = data["authorization_expires_at"]
    return TokenGrant(
        access_token=data["access_token"],
        refresh_token=data["refresh_token"],
        expires_at=datetime.fromisoformat(data["expires_at"]),
        scopes=frozenset(data["scopes"]),
        authorization_expires_at=datetime.fromisoformat(ends) if ends else None,
    )
