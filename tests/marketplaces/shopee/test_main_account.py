"""A Shopee main account authorizing several shops at once, against the in-process stand-in: the
callback with ``code`` and ``main_account_id``, the seller's confirmation, one integration per shop
holding the shared pair, each split off by its own first refresh; a crash between receiving a
shop's pair and storing it; a shop of another seller; values the hub cannot read."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from integrations.services.account_choice import integration_decline_accounts
from integrations.services.lease import RefreshLease
from integrations.services.refresh import RefreshOutcome, integration_refresh, refresh_prepare
from integrations.services.support import authorization_attempts_cleanup
from marketplaces import TemporarilyUnavailable
from marketplaces.sandbox import faults
from marketplaces.sandbox.models import SandboxGrantFamily
from marketplaces.shopee.standin import issuer
from tests.factories import IntegrationFactory, SellerFactory, UserFactory
from tests.marketplaces.shopee.helpers import shopee_consent
from tests.sandbox_http import sandbox_http  # noqa: F401

pytestmark = pytest.mark.usefixtures("sandbox_http")

Outcome = AuthorizationAttempt.Outcome
Kind = IntegrationEvent.Kind
LOJA, CASA, KIDS = "880001", "880003", "880004"
SHOPS = {LOJA: "Loja Exemplo Shopee", CASA: "Casa Exemplo", KIDS: "Exemplo Kids"}


def _authorize_main_account(client) -> str:
    """Connect → Shopee's login as the main account → "Confirm Authorization" → the callback;
    returns where the hub sends the browser."""
    start = client.post(reverse("integrations:connect", args=["shopee"]))
    callback = shopee_consent(client, start["Location"], "grupoexemplo")
    assert set(parse_qs(urlsplit(callback).query)) == {"state", "code", "main_account_id"}
    parts = urlsplit(callback)
    response = client.get(f"{parts.path}?{parts.query}")
    assert response.status_code == 302
    return response["Location"]


def _confirm(client, choose_url: str, shops) -> str:
    response = client.post(choose_url, {"conta": list(shops), "acao": "conectar"})
    assert response.status_code == 302
    return client.get(response["Location"]).content.decode()


def _connected(seller, shops=SHOPS) -> dict[str, Integration]:
    rows = Integration.objects.filter(seller=seller, marketplace="shopee", external_id__in=shops)
    return {row.external_id: row for row in rows}


def test_the_seller_confirms_the_shops_each_becomes_its_own_integration(
    seller_client, seller, seller_user
):
    choose_url = _authorize_main_account(seller_client)

    page = seller_client.get(choose_url).content.decode()
    assert Integration.objects.filter(seller=seller).count() == 0  # nothing before the choice
    for name in SHOPS.values():
        assert name in page
    html = _confirm(seller_client, choose_url, SHOPS)

    assert "Pronto! Shopee conectado: Loja Exemplo Shopee, Casa Exemplo, Exemplo Kids." in html
    rows = _connected(seller)
    assert {key: row.account_name for key, row in rows.items()} == SHOPS
    shared = {row.refresh_token for row in rows.values()}
    assert len(shared) == 1  # one pair covers the shops until each one's first refresh
    assert len({row.refresh_token_ciphertext for row in rows.values()}) == 3  # each row's own
    for row in rows.values():
        assert row.is_active and row.authorization_expires_at is not None
        event = row.events.get()
        assert (event.kind, event.actor_id) == (Kind.CONNECTED, seller_user.pk)
    attempt = AuthorizationAttempt.objects.get()
    assert (attempt.outcome, attempt.grant_ciphertext) == (Outcome.SUCCESS, "")
    assert all(offer["connected"] for offer in attempt.offered_accounts)

    # Each shop's first refresh splits it off with a pair of its own.
    for row in rows.values():
        assert integration_refresh(integration_id=row.pk, force=True).refreshed
    split = _connected(seller)
    tokens = {row.refresh_token for row in split.values()}
    assert len(tokens) == 3 and not tokens & shared
    main = SandboxGrantFamily.objects.get(marketplace="shopee", parent=None)
    assert main.account_id == "main:770001" and main.revoked_at is None
    own = SandboxGrantFamily.objects.filter(parent=main)
    assert sorted(own.values_list("account_id", flat=True)) == sorted(SHOPS)

    # Afterwards each renews on its own: rotating one leaves the others' pairs as they were.
    before = {key: row.refresh_token for key, row in split.items()}
    assert integration_refresh(integration_id=split[CASA].pk, force=True).refreshed
    after = {key: row.refresh_token for key, row in _connected(seller).items()}
    assert after[CASA] != before[CASA]
    assert (after[LOJA], after[KIDS]) == (before[LOJA], before[KIDS])
    for row in _connected(seller).values():
        assert row.events.filter(kind=Kind.REFRESHED).exists()


def test_the_seller_may_connect_some_and_the_rest_stay_out(seller_client, seller):
    choose_url = _authorize_main_account(seller_client)

    html = _confirm(seller_client, choose_url, [KIDS])

    assert "Pronto! Shopee conectado: Exemplo Kids." in html
    assert set(_connected(seller)) == {KIDS}
    offers = {
        o["external_id"]: o["connected"]
        for o in AuthorizationAttempt.objects.get().offered_accounts
    }
    assert offers == {LOJA: False, CASA: False, KIDS: True}


def test_a_crash_between_receiving_a_shop_s_pair_and_storing_it(seller_client, seller, settings):
    _confirm(seller_client, _authorize_main_account(seller_client), SHOPS)
    rows = _connected(seller)
    loja = rows[LOJA]

    # The shop's refresh leaves and Shopee answers; the worker dies before storing the answer.
    request = refresh_prepare(integration_id=loja.pk, force=True)
    assert request.send().grant is not None
    Integration.objects.filter(pk=loja.pk).update(
        refresh_lease_expires_at=timezone.now() - timedelta(seconds=1)
    )

    # The next run finds the dead lease: an unknown outcome, kept as evidence, and no retry
    # while the original could still land.
    with pytest.raises(TemporarilyUnavailable):
        integration_refresh(integration_id=loja.pk, force=True)
    found = Integration.objects.get(pk=loja.pk)
    assert found.is_active and found.rotation_unknown_since is not None
    assert found.refresh_token == rows[CASA].refresh_token  # the shared token, still stored

    # After the window the retry learns the token was spent for this shop: a lost renewal,
    # said as such, never a guess; the other shops' share of the token is untouched.
    settings.INTEGRATIONS_ROTATION_WINDOW_MINUTES = 0
    assert integration_refresh(integration_id=loja.pk, force=True).outcome == RefreshOutcome.LOST
    lost = Integration.objects.get(pk=loja.pk)
    assert (lost.status, lost.expiry_cause) == (
        Integration.Status.EXPIRED,
        Integration.ExpiryCause.LOST_ROTATION,
    )
    assert [event.kind for event in lost.events.order_by("created_at", "id")] == [
        Kind.CONNECTED,
        Kind.REFRESH_FAILED,
        Kind.REFRESH_LOST,
    ]
    for shop in (CASA, KIDS):
        assert integration_refresh(integration_id=rows[shop].pk, force=True).refreshed


def test_a_lease_held_during_the_split_keeps_a_second_worker_out(seller_client, seller):
    _confirm(seller_client, _authorize_main_account(seller_client), [LOJA])
    loja = _connected(seller)[LOJA]
    request = refresh_prepare(integration_id=loja.pk, force=True)
    assert isinstance(request.lease, RefreshLease)

    assert integration_refresh(integration_id=loja.pk, force=True).outcome == RefreshOutcome.BUSY
    assert faults.token_requests("refresh_token", marketplace="shopee") == 0


def test_a_shop_connected_to_another_seller_is_refused(seller_client, seller):
    other = IntegrationFactory(
        seller=SellerFactory(), marketplace="shopee", external_id=CASA, account_name="Casa"
    )
    choose_url = _authorize_main_account(seller_client)

    page = seller_client.get(choose_url).content.decode()
    assert "já está conectada a outra empresa no hub" in page
    assert "já está no hub" not in page  # none is this seller's yet
    response = seller_client.post(choose_url, {"conta": [LOJA, CASA], "acao": "conectar"})
    assert response.status_code == 400  # a shop that was not offered: nothing changes
    assert not _connected(seller)
    html = _confirm(seller_client, choose_url, [LOJA, KIDS])

    assert set(_connected(seller)) == {LOJA, KIDS}
    assert Integration.objects.get(pk=other.pk).seller_id == other.seller_id
    assert "Pronto! Shopee conectado: Loja Exemplo Shopee, Exemplo Kids." in html


def test_a_main_account_whose_shops_all_belong_to_others_connects_nothing(seller_client, seller):
    for shop in SHOPS:
        IntegrationFactory(seller=SellerFactory(), marketplace="shopee", external_id=shop)

    location = _authorize_main_account(seller_client)

    assert location == reverse("integrations:marketplaces")
    attempt = AuthorizationAttempt.objects.get()
    assert (attempt.outcome, attempt.grant_ciphertext) == (Outcome.OTHER_SELLER, "")
    assert [o["refusal"] for o in attempt.offered_accounts] == [Outcome.OTHER_SELLER] * 3
    assert "Conta já conectada a outra empresa" in seller_client.get(location).content.decode()


def test_an_unknown_shop_list_fails_closed_with_the_evidence(seller_client, seller, monkeypatch):
    real = issuer.exchange_main_account

    def garbled(**kwargs):
        return {**real(**kwargs), "shop_id_list": ["880001", "loja-b"]}

    monkeypatch.setattr(issuer, "exchange_main_account", garbled)

    location = _authorize_main_account(seller_client)

    assert location == reverse("integrations:marketplaces")
    attempt = AuthorizationAttempt.objects.get()
    assert attempt.outcome == Outcome.PROVIDER_ERROR
    assert "shop_id_list" in attempt.details
    assert not Integration.objects.exists()
    assert "Não foi possível falar com a Shopee" in seller_client.get(location).content.decode()


def test_a_shop_of_an_unknown_region_is_not_offered(seller_client, seller, monkeypatch):
    from marketplaces.shopee.standin import directory

    shops = dict(directory._SHOPS)
    shops[880004] = directory.SandboxShop(880004, "exemplokids", "Exemplo Kids", region="XX")
    monkeypatch.setattr(directory, "_SHOPS", shops)
    choose_url = _authorize_main_account(seller_client)

    offers = {o["external_id"]: o for o in AuthorizationAttempt.objects.get().offered_accounts}
    assert offers[KIDS]["refusal"] == Outcome.ACCOUNT_UNVERIFIED
    assert offers[KIDS]["kind_raw"] == "XX"
    assert seller_client.post(choose_url, {"conta": [KIDS]}).status_code == 400
    _confirm(seller_client, choose_url, [LOJA, CASA])
    assert set(_connected(seller)) == {LOJA, CASA}


def test_the_choice_is_the_seller_s_own_and_ends(seller_client, seller):
    choose_url = _authorize_main_account(seller_client)
    assert Client().get(choose_url).status_code == 302  # nobody signed in: the login page
    other_seller = Client()
    other_seller.force_login(UserFactory())
    assert other_seller.get(choose_url).status_code == 404  # another seller's: not found

    response = seller_client.post(choose_url, {"acao": "cancelar"})

    assert response.status_code == 302
    attempt = AuthorizationAttempt.objects.get()
    assert (attempt.outcome, attempt.grant_ciphertext) == (Outcome.CANCELLED, "")
    assert seller_client.post(choose_url, {"conta": [LOJA]}).status_code == 302
    assert not Integration.objects.exists()


def test_an_abandoned_choice_expires_and_its_pair_is_wiped(seller_client, seller):
    choose_url = _authorize_main_account(seller_client)
    AuthorizationAttempt.objects.update(consumed_at=timezone.now() - timedelta(hours=1))

    response = seller_client.get(choose_url)

    assert response.status_code == 302
    attempt = AuthorizationAttempt.objects.get()
    assert (attempt.outcome, attempt.grant_ciphertext) == (Outcome.EXPIRED_STATE, "")
    assert not Integration.objects.exists()


def test_the_daily_cleanup_wipes_a_pair_nobody_came_back_for(seller_client, seller):
    _authorize_main_account(seller_client)
    assert AuthorizationAttempt.objects.get().grant_ciphertext
    AuthorizationAttempt.objects.update(consumed_at=timezone.now() - timedelta(hours=1))

    authorization_attempts_cleanup()

    attempt = AuthorizationAttempt.objects.get()  # kept for support, without the pair
    assert (attempt.outcome, attempt.grant_ciphertext) == (Outcome.EXPIRED_STATE, "")
    assert len(attempt.offered_accounts) == 3


def test_a_shop_already_the_seller_s_is_reactivated_by_the_confirmation(seller_client, seller):
    expired = IntegrationFactory(
        seller=seller, marketplace="shopee", external_id=LOJA, account_name="Loja", expired=True
    )
    choose_url = _authorize_main_account(seller_client)
    assert (
        "já está no hub: o token dela será atualizado"
        in seller_client.get(choose_url).content.decode()
    )

    _confirm(seller_client, choose_url, [LOJA])

    renewed = Integration.objects.get(pk=expired.pk)
    assert renewed.is_active and renewed.account_name == "Loja Exemplo Shopee"
    assert renewed.events.filter(kind=Kind.REAUTHORIZED).exists()
    assert Integration.objects.filter(seller=seller).count() == 1


def test_a_cancel_from_a_second_tab_leaves_a_confirmed_choice_as_it_ended(seller_client, seller):
    choose_url = _authorize_main_account(seller_client)
    stale = AuthorizationAttempt.objects.get()  # what the second tab loaded, still waiting
    _confirm(seller_client, choose_url, [KIDS])

    result = integration_decline_accounts(attempt=stale)

    assert result.outcome == Outcome.EXPIRED_STATE
    attempt = AuthorizationAttempt.objects.get()
    assert attempt.outcome == Outcome.SUCCESS
    assert set(_connected(seller)) == {KIDS}
