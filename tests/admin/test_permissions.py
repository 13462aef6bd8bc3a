"""The "Suporte" group: what it can see and do, and what it is refused. Superusers do anything."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from hub.models import Seller
from integrations.models import IntegrationEvent
from tests.admin import admin_url, make_attempt, make_event
from tests.factories import IntegrationFactory, SellerFactory, UserFactory, valid_cnpj

pytestmark = pytest.mark.django_db

SUPPORT_PERMISSIONS = {
    "hub.view_seller",
    "hub.view_membership",
    "auth.view_user",
    "integrations.view_integration",
    "integrations.view_integrationevent",
    "integrations.view_authorizationattempt",
    "integrations.can_refresh_now",
    "integrations.can_mark_expired",
    "integrations.can_send_reactivation_link",
    "integrations.can_disconnect",
    "integrations.can_accept_tenant",
    "push.view_notification",
    "push.view_pushgap",
    "push.can_reprocess_notification",
    "orders.view_order",
}


def test_the_data_migration_creates_the_group_with_exactly_these_permissions():
    group = Group.objects.get(name="Suporte")

    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }
    assert granted == SUPPORT_PERMISSIONS


def test_support_member_has_them_all_and_nothing_more(support_user):
    assert support_user.get_all_permissions() == SUPPORT_PERMISSIONS


@pytest.fixture
def world(support_user):
    integration = IntegrationFactory()
    member = UserFactory(membership__seller=integration.seller, email="dono@loja.com.br")
    event = make_event(integration, IntegrationEvent.Kind.REFRESHED)
    attempt = make_attempt(integration=integration, user=member, chosen_external_id="t")
    return {
        "integration": integration,
        "seller": integration.seller,
        "member": member,
        "membership": member.membership,
        "event": event,
        "attempt": attempt,
    }


def test_support_can_see_sellers_users_emails_integrations_events_and_attempts(
    support_client, world
):
    pages = [
        admin_url("index"),
        admin_url("hub_seller_changelist"),
        admin_url("hub_seller_change", world["seller"].pk),
        admin_url("hub_membership_changelist"),
        admin_url("auth_user_changelist"),
        admin_url("auth_user_change", world["member"].pk),
        admin_url("integrations_integration_changelist"),
        admin_url("integrations_integration_change", world["integration"].pk),
        admin_url("integrations_integration_history", world["integration"].pk),
        admin_url("integrations_integration_overview"),
        admin_url("integrations_integrationevent_changelist"),
        admin_url("integrations_integrationevent_change", world["event"].pk),
        admin_url("integrations_authorizationattempt_changelist"),
        admin_url("integrations_authorizationattempt_change", world["attempt"].pk),
    ]
    for url in pages:
        assert support_client.get(url).status_code == 200, url
    seller_page = support_client.get(admin_url("hub_seller_change", world["seller"].pk))
    assert "dono@loja.com.br" in seller_page.content.decode()
    assert (
        "dono@loja.com.br" in support_client.get(admin_url("auth_user_changelist")).content.decode()
    )


def test_support_cannot_delete_anything(support_client, world):
    deletions = [
        ("hub_seller_delete", world["seller"].pk),
        ("hub_membership_delete", world["membership"].pk),
        ("auth_user_delete", world["member"].pk),
        ("integrations_integration_delete", world["integration"].pk),
        ("integrations_integrationevent_delete", world["event"].pk),
        ("integrations_authorizationattempt_delete", world["attempt"].pk),
    ]
    for name, pk in deletions:
        assert support_client.get(admin_url(name, pk)).status_code == 403, name
        assert support_client.post(admin_url(name, pk), {"post": "yes"}).status_code == 403, name
    listing = support_client.get(admin_url("integrations_integration_changelist"))
    assert 'value="delete_selected"' not in listing.content.decode()
    assert IntegrationEvent.objects.filter(pk=world["event"].pk).exists()
    assert Seller.objects.filter(pk=world["seller"].pk).exists()


def test_support_cannot_add_or_change_sellers_users_or_integrations(support_client, world):
    seller = world["seller"]
    for name in (
        "hub_seller_add",
        "hub_membership_add",
        "auth_user_add",
        "integrations_integration_add",
    ):
        assert support_client.get(admin_url(name)).status_code == 403, name
    response = support_client.post(
        admin_url("hub_seller_change", seller.pk), {"name": "Outro Nome", "cnpj": valid_cnpj(77)}
    )
    assert response.status_code == 403
    response = support_client.post(
        admin_url("auth_user_change", world["member"].pk), {"email": "trocado@x.com"}
    )
    assert response.status_code == 403
    response = support_client.post(
        admin_url("integrations_integration_change", world["integration"].pk),
        {"access_token_ciphertext": "x", "refresh_token_ciphertext": "y"},
    )
    assert response.status_code == 403
    seller.refresh_from_db()
    world["integration"].refresh_from_db()
    assert seller.name != "Outro Nome"
    assert world["integration"].has_tokens
    assert world["integration"].access_token_ciphertext not in ("x", "")


def test_no_token_field_exists_in_any_integration_form(superuser_client, world):
    body = superuser_client.get(
        admin_url("integrations_integration_change", world["integration"].pk)
    ).content.decode()

    assert 'name="access_token' not in body and 'name="refresh_token' not in body


def test_staff_allowed_to_edit_sellers_still_cannot_change_a_cnpj(client):
    seller = SellerFactory(name="Nome Antigo")
    original_cnpj = seller.cnpj
    editor = UserFactory(membership=None, is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_seller", "change_seller"])
    )
    client.force_login(editor)

    page = client.get(admin_url("hub_seller_change", seller.pk)).content.decode()
    assert 'name="cnpj"' not in page and 'name="name"' in page
    assert seller.cnpj_display in page
    response = client.post(
        admin_url("hub_seller_change", seller.pk),
        {"name": "Nome Novo", "cnpj": valid_cnpj(88), **_empty_inline("memberships")},
    )

    assert response.status_code == 302
    seller.refresh_from_db()
    assert (seller.name, seller.cnpj) == ("Nome Novo", original_cnpj)


def test_a_superuser_can_change_a_cnpj_and_run_every_action(superuser_client, superuser):
    seller = SellerFactory()
    new_cnpj = valid_cnpj(99)

    response = superuser_client.post(
        admin_url("hub_seller_change", seller.pk),
        {"name": seller.name, "cnpj": new_cnpj, **_empty_inline("memberships")},
    )

    assert response.status_code == 302
    seller.refresh_from_db()
    assert seller.cnpj == new_cnpj
    assert all(superuser.has_perm(p) for p in SUPPORT_PERMISSIONS)
    # Each page offers the actions that can work there: an Ativo one three, an expired one the link.
    pages = "".join(
        superuser_client.get(
            admin_url("integrations_integration_change", integration.pk)
        ).content.decode()
        for integration in (
            IntegrationFactory(seller=seller),
            IntegrationFactory(seller=seller, expired=True),
        )
    )
    for slug in ("renovar-agora", "marcar-expirado", "enviar-link", "desconectar"):
        assert f"/acao/{slug}/" in pages


def test_a_superuser_may_delete_an_attempt_but_events_stay_append_only(superuser_client):
    integration = IntegrationFactory()
    attempt = make_attempt(integration=integration, chosen_external_id="t")
    event = make_event(integration, IntegrationEvent.Kind.REFRESHED)

    response = superuser_client.post(
        admin_url("integrations_authorizationattempt_delete", attempt.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert (
        superuser_client.get(
            admin_url("integrations_integrationevent_delete", event.pk)
        ).status_code
        == 403
    )


def test_staff_outside_the_group_see_no_integration(client):
    client.force_login(UserFactory(membership=None, is_staff=True))

    assert client.get(admin_url("integrations_integration_changelist")).status_code == 403
    assert client.get(admin_url("integrations_integration_overview")).status_code == 403


def test_non_staff_users_are_sent_to_the_login(client, seller_user):
    client.force_login(seller_user)

    response = client.get(admin_url("integrations_integration_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _empty_inline(prefix: str) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


# The members inline's management form, with no member.
NO_MEMBERS = {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}


@pytest.mark.parametrize("typed", ["11.222.333/0001-81", "11222333000181", " 11.222.333/0001-81 "])
def test_a_superuser_adds_a_seller_with_the_cnpj_as_written(superuser_client, typed):
    response = superuser_client.post(
        reverse("admin:hub_seller_add"), {"name": "Loja Nova", "cnpj": typed, **NO_MEMBERS}
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Seller.objects.get(name="Loja Nova").cnpj == "11222333000181"


def test_a_wrong_cnpj_is_refused_in_portuguese(superuser_client):
    response = superuser_client.post(
        reverse("admin:hub_seller_add"),
        {"name": "Loja Nova", "cnpj": "11.222.333/0001-80", **NO_MEMBERS},
    )

    assert response.status_code == 200
    assert "CNPJ inválido" in response.content.decode()
    assert not Seller.objects.filter(name="Loja Nova").exists()
