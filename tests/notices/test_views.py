"""The bell, the list and the preferences: scoped to the user, POSTs under CSRF, pt-BR refusals."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrations.notices.models import Cause, EmailOptOut, Notice, Topic
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notices:list")
PREFERENCES = reverse("notices:preferences")
MARK_ALL = reverse("notices:mark_all_read")


def make_notice(user, *, read=False, title="Sem pedidos novos: Magazine Luiza · Loja", **extra):
    integration = extra.pop("integration", None) or IntegrationFactory(
        seller=user.membership.seller
    )
    return Notice.objects.create(
        user=user,
        seller=user.membership.seller,
        integration=integration,
        cause=Cause.SILENCE,
        title=title,
        text="Faz mais tempo que o normal.\n\nConfira no marketplace.",
        action_label="Ver Marketplaces",
        action_url=reverse("integrations:marketplaces"),
        read_at=timezone.now() if read else None,
        **extra,
    )


def _bell(html: str) -> str:
    return re.search(r'<a class="bell"[^>]*aria-label="([^"]+)"', html).group(1)


def test_the_bell_counts_the_users_unread_notices(seller_client, seller_user):
    html = seller_client.get(reverse("integrations:marketplaces")).content.decode()
    assert _bell(html) == "Notificações, nenhuma não lida"
    assert "bell__count" not in html

    for _ in range(3):
        make_notice(seller_user)
    make_notice(seller_user, read=True)
    other = UserFactory(membership__seller=seller_user.membership.seller)
    make_notice(other)  # a colleague's own notice is not this user's

    html = seller_client.get(reverse("integrations:marketplaces")).content.decode()
    assert _bell(html) == "Notificações, 3 não lidas"
    assert '<span class="bell__count" aria-hidden="true">3</span>' in html


def test_the_bell_costs_one_count_query_per_page(seller_client, seller_user):
    make_notice(seller_user)
    with CaptureQueriesContext(connection) as queries:
        response = seller_client.get(reverse("settings"))
    assert response.status_code == 200
    on_notices = [q["sql"] for q in queries if "notices_notice" in q["sql"]]
    assert len(on_notices) == 1 and "COUNT(" in on_notices[0].upper()


def test_the_list_is_newest_first_paged_and_only_the_users(seller_client, seller_user):
    for number in range(23):
        make_notice(seller_user, title=f"Aviso {number}")
    make_notice(UserFactory(), title="Aviso de outra empresa")

    first = seller_client.get(LIST).content.decode()
    titles = re.findall(r'<strong class="notice__title">([^<]+)</strong>', first)
    assert titles[:2] == ["Aviso 22", "Aviso 21"] and len(titles) == 20
    assert "Aviso de outra empresa" not in first
    assert "Página 1 de 2" in first
    second = seller_client.get(LIST, {"pagina": "2"}).content.decode()
    assert re.findall(r'<strong class="notice__title">([^<]+)</strong>', second) == [
        "Aviso 2",
        "Aviso 1",
        "Aviso 0",
    ]


def test_times_are_shown_in_sao_paulo(seller_client, seller_user):
    make_notice(seller_user, created_at=datetime(2026, 3, 10, 15, 30, tzinfo=UTC))
    html = seller_client.get(LIST).content.decode()
    assert ">10/03/2026 12:30</time>" in html


def test_opening_a_notice_marks_it_read_and_follows_its_action(seller_client, seller_user):
    notice = make_notice(seller_user)
    response = seller_client.get(reverse("notices:open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("integrations:marketplaces")
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_another_users_notice_is_a_404_and_stays_unread(seller_client):
    colleague_notice = make_notice(UserFactory())
    response = seller_client.get(reverse("notices:open", args=[colleague_notice.pk]))
    assert response.status_code == 404
    assert "Página não encontrada" in response.content.decode()
    colleague_notice.refresh_from_db()
    assert colleague_notice.read_at is None


def test_a_notice_never_redirects_off_the_site(seller_client, seller_user):
    notice = make_notice(seller_user)
    Notice.objects.filter(pk=notice.pk).update(action_url="//evil.example/")
    response = seller_client.get(reverse("notices:open", args=[notice.pk]))
    assert response["Location"] == LIST


def test_mark_all_read_is_a_post_under_csrf(seller_user):
    mine = [make_notice(seller_user) for _ in range(2)]
    theirs = make_notice(UserFactory())
    client = Client(enforce_csrf_checks=True)
    client.force_login(seller_user)

    assert client.get(MARK_ALL).status_code == 405
    refused = client.post(MARK_ALL)
    assert refused.status_code == 403
    assert Notice.objects.filter(read_at__isnull=True).count() == 3

    page = client.get(LIST).content.decode()
    assert "Marcar todas como lidas" in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(MARK_ALL, {"csrfmiddlewaretoken": token}, follow=True)
    assert "Todas as notificações foram marcadas como lidas." in response.content.decode()
    assert all(Notice.objects.get(pk=n.pk).read_at for n in mine)
    assert Notice.objects.get(pk=theirs.pk).read_at is None
    assert _bell(response.content.decode()) == "Notificações, nenhuma não lida"


def test_preferences_keep_what_is_checked(seller_client, seller_user):
    page = seller_client.get(PREFERENCES).content.decode()
    assert page.count('type="checkbox"') == 4 and page.count("checked") == 4

    response = seller_client.post(PREFERENCES, {"receive": [Topic.TOKEN, Topic.RECONNECTED]})
    assert response.status_code == 302
    assert set(EmailOptOut.objects.filter(user=seller_user).values_list("topic", flat=True)) == {
        Topic.IMPORTS,
        Topic.SILENCE,
    }
    page = seller_client.get(PREFERENCES).content.decode()
    assert "Preferências de e-mail salvas." in page and page.count("checked") == 2

    seller_client.post(PREFERENCES, {})  # nothing checked: no e-mails at all
    assert EmailOptOut.objects.filter(user=seller_user).count() == 4


def test_a_bad_preference_is_a_400_in_portuguese_and_changes_nothing(seller_client, seller_user):
    response = seller_client.post(PREFERENCES, {"receive": ["token", "spam"]})
    assert response.status_code == 400
    assert "Escolha apenas opções da lista. Nada foi alterado." in response.content.decode()
    assert not EmailOptOut.objects.exists()


def test_preferences_post_needs_csrf(seller_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(seller_user)
    assert client.post(PREFERENCES, {"receive": []}).status_code == 403
    assert not EmailOptOut.objects.exists()


def test_the_settings_index_links_the_preferences(seller_client):
    html = seller_client.get(reverse("settings")).content.decode()
    assert f'href="{PREFERENCES}"' in html and "Notificações por e-mail" in html


def test_pages_need_login_and_a_seller(client):
    assert client.get(LIST).status_code == 302
    client.force_login(UserFactory(membership=None))
    assert client.get(LIST).status_code == 403
