"""Every page a seller can meet reads in Portuguese: forms with their errors included."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from integrations.models import IntegrationEvent
from integrations.services.events import event_record
from tests.factories import IntegrationFactory
from tests.portuguese import english_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(seller, seller_user):
    active = IntegrationFactory(seller=seller, account_name="Papelaria Ipê Ltda")
    IntegrationFactory(seller=seller, marketplace="mercadolivre", expired=True)
    event_record(integration=active, kind=IntegrationEvent.Kind.REFRESH_FAILED, details="503")
    return {"integration": active}


def _seller_pages(integration) -> list[str]:
    return [
        reverse("settings"),
        reverse("password_change"),
        reverse("password_change_done"),
        reverse("integrations:index"),
        reverse("integrations:marketplaces"),
        reverse("integrations:reactivate"),
        reverse("integrations:reactivate_confirm", args=["mercadolivre"]),
        reverse("integrations:reactivate_confirm", args=["magalu"]),
        reverse("integrations:connect_choose"),
        reverse("integrations:history", args=[integration.pk]),
        reverse("integrations:history", args=[integration.pk]) + "?tipo=problemas",
        reverse("integrations:disconnect", args=[integration.pk]),
        reverse("orders:list"),
    ]


def _english(client: Client, method: str, url: str, data=None, expect=(200,)) -> list[str]:
    response = getattr(client, method)(url, data or {})
    assert response.status_code in expect, url
    return english_on(response.content.decode())


def test_every_seller_page_is_in_portuguese(seller_client, world):
    english = {}
    for url in _seller_pages(world["integration"]):
        if found := _english(seller_client, "get", url):
            english[url] = found
    # Forms sent wrong, the answers a seller sees then.
    wrong = [
        ("post", reverse("password_change"), {"old_password": "x", "new_password1": "1"}),
        ("post", reverse("integrations:disconnect", args=[world["integration"].pk]), {}),
        ("get", reverse("integrations:history", args=[world["integration"].pk]) + "?tipo=x", None),
        ("get", reverse("orders:list") + "?desde=ontem", None),
    ]
    for method, url, data in wrong:
        if found := _english(seller_client, method, url, data, expect=(200, 400)):
            english[f"{method} {url}"] = found

    assert english == {}


def test_every_page_before_login_is_in_portuguese(client, seller_user):
    seller_user.email = "ana@ipe.com.br"
    seller_user.save()
    english = {}
    pages = [
        ("get", reverse("login"), None),
        ("post", reverse("login"), {"username": "ana", "password": "errada"}),
        ("get", reverse("password_reset"), None),
        ("post", reverse("password_reset"), {"email": "nao-e-email"}),
        ("get", reverse("password_reset_done"), None),
        ("get", reverse("password_reset_complete"), None),
        ("get", reverse("password_reset_confirm", args=["MQ", "invalido"]), None),
    ]
    for method, url, data in pages:
        if found := _english(client, method, url, data):
            english[f"{method} {url}"] = found

    client.post(reverse("password_reset"), {"email": "ana@ipe.com.br"})
    [link] = re.findall(r"https?://[^/\s]+(/\S+)", mail.outbox[0].body)
    form = client.get(link, follow=True)
    if found := english_on(form.content.decode()):
        english["password reset form"] = found
    weak = client.post(form.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})
    if found := english_on(weak.content.decode()):
        english["weak new password"] = found
    assert english_on(mail.outbox[0].body) == []

    assert english == {}
