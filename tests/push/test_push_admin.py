"""Support's push screens: the notifications (read-only, "Reprocessar" confirmed, by POST with
CSRF, logged), the gaps, each marketplace's push health and the orders' provenance."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from integrations.orders.models import Order
from integrations.push.models import Notification, PushGap
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db

ML = "mercadolivre"
FAILED = Notification.State.FAILED


@pytest.fixture
def support_user(db):
    user = UserFactory(membership=None, is_staff=True, username="suporte-push")
    user.groups.add(Group.objects.get(name="Suporte"))
    return user


@pytest.fixture
def support_client(client, support_user):
    client.force_login(support_user)
    return client


@pytest.fixture
def world(db):
    integration = IntegrationFactory(marketplace=ML, external_id="123456002", account_name="LOJA")
    failed = Notification.objects.create(
        marketplace=ML,
        dedup_key="k-failed",
        topic="orders_v2",
        account_id="123456002",
        resource_id="2001",
        body='{"resource": "/orders/2001", "marca": "corpo-bruto"}',
        state=FAILED,
        attempts=8,
        error="Mercado Livre: serviço indisponível (HTTP 503)",
        integration=integration,
    )
    done = Notification.objects.create(
        marketplace=ML,
        dedup_key="k-done",
        topic="orders_v2",
        account_id="123456002",
        resource_id="2002",
        state=Notification.State.DONE,
        processed_at=timezone.now(),
        integration=integration,
    )
    PushGap.objects.create(integration=integration, marketplace=ML, marketplace_order_id="2003")
    order = Order.objects.create(
        integration=integration,
        seller=integration.seller,
        marketplace=ML,
        marketplace_order_id="2003",
        code="2003",
        status="paid",
        total=Decimal("10.00"),
        currency="BRL",
        created_at=timezone.now() - timedelta(hours=2),
        updated_at=timezone.now() - timedelta(hours=2),
        arrived_via=Order.Arrival.AUDIT,
        arrived_at=timezone.now(),
    )
    return {"integration": integration, "failed": failed, "done": done, "order": order}


def test_the_notifications_list_shows_each_marketplaces_push_health(support_client, world):
    response = support_client.get(reverse("admin:push_notification_changelist"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Saúde das notificações" in html
    assert "Mercado Livre" in html and "Magazine Luiza" in html
    assert "Saudável" in html  # two notifications within the window, none stuck
    assert "Auditoria a cada 60 min" in html and "Importação a cada 5 min" in html
    assert "Não notificados (24 h)" in html
    assert "2001" in html and "Falhou (o suporte verifica)" in html


def test_filters_search_and_the_raw_body_on_the_page(support_client, world):
    changelist = reverse("admin:push_notification_changelist")
    failed_only = support_client.get(changelist, {"state__exact": FAILED, "via__exact": "push"})
    assert "2001" in failed_only.content.decode() and "2002" not in failed_only.content.decode()
    searched = support_client.get(changelist, {"q": "2002", "marketplace": ML})
    assert "2002" in searched.content.decode() and "2001" not in searched.content.decode()

    page = support_client.get(reverse("admin:push_notification_change", args=[world["failed"].pk]))

    assert page.status_code == 200
    assert "corpo-bruto" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()  # read-only


def test_gaps_orders_and_the_integration_page_for_support(support_client, world):
    gaps = support_client.get(reverse("admin:push_pushgap_changelist"), {"marketplace": ML})
    assert gaps.status_code == 200 and "2003" in gaps.content.decode()
    order = support_client.get(reverse("admin:orders_order_change", args=[world["order"].pk]))
    assert order.status_code == 200
    assert "Auditoria (não notificado)" in order.content.decode()
    by_arrival = support_client.get(
        reverse("admin:orders_order_changelist"), {"arrived_via__exact": "audit"}
    )
    assert "2003" in by_arrival.content.decode()
    page = support_client.get(
        reverse("admin:integrations_integration_change", args=[world["integration"].pk])
    )
    assert "Pedidos não notificados (24 h)" in page.content.decode()


def _reprocess(client, ids, **extra):
    data = {"action": "reprocess", "_selected_action": [str(pk) for pk in ids], **extra}
    return client.post(reverse("admin:push_notification_changelist"), data)


def test_reprocess_asks_first_then_puts_failed_ones_back_and_logs_it(
    support_client, support_user, world
):
    ids = [world["failed"].pk, world["done"].pk]

    asked = _reprocess(support_client, ids)

    assert asked.status_code == 200
    assert "Reprocessar estas notificações?" in asked.content.decode()
    assert Notification.objects.get(pk=world["failed"].pk).state == FAILED

    done = _reprocess(support_client, ids, confirmado="sim")

    assert done.status_code == 302
    failed = Notification.objects.get(pk=world["failed"].pk)
    assert (failed.state, failed.attempts, failed.error) == ("pending", 0, "")
    assert Notification.objects.get(pk=world["done"].pk).state == Notification.State.DONE
    entry = LogEntry.objects.get(object_id=str(failed.pk))
    assert entry.user == support_user
    assert "Falhou (o suporte verifica)" in entry.change_message
    assert "HTTP 503" in entry.change_message


def test_reprocess_needs_post_with_csrf_and_the_permission(support_user, world):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(support_user)
    refused = _reprocess(strict, [world["failed"].pk], confirmado="sim")
    assert refused.status_code == 403
    url = reverse("admin:push_notification_changelist")
    strict.get(url, {"action": "reprocess", "_selected_action": world["failed"].pk})
    assert Notification.objects.get(pk=world["failed"].pk).state == FAILED

    viewer = UserFactory(membership=None, is_staff=True, username="so-leitura")
    viewer.user_permissions.add(*Group.objects.get(name="Suporte").permissions.exclude(
        codename="can_reprocess_notification"))  # fmt: skip
    client = Client()
    client.force_login(viewer)
    response = _reprocess(client, [world["failed"].pk], confirmado="sim")
    assert Notification.objects.get(pk=world["failed"].pk).state == FAILED
    assert response.status_code in (200, 302)
