"""'Esqueci minha senha': the e-mail, its link, its limits and what the pages say."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.admin import make_login_records
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RESET = reverse("password_reset")
NEW_PASSWORD = "um-cavalo-azul-correu-43"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ana(db):
    return UserFactory(username="ana", first_name="Ana", email="ana@ipe.com.br")


def _link(email) -> str:
    [url] = re.findall(r"https?://\S+", email.body)
    return url


def test_the_login_page_offers_it(client):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{RESET}">Esqueci minha senha</a>' in html


def test_the_email_is_in_portuguese_and_links_to_site_url_not_the_host(client, ana, settings):
    settings.SITE_URL = "https://hub.example.com.br"
    settings.ALLOWED_HOSTS = ["*"]  # a proxy that forwards any Host must not matter either
    response = client.post(RESET, {"email": "ANA@ipe.com.br"}, HTTP_HOST="evil.example")

    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    [email] = mail.outbox
    assert email.to == ["ana@ipe.com.br"]
    assert "Olá, Ana." in email.body and "vence em 2 horas" in email.body
    assert _link(email).startswith("https://hub.example.com.br/entrar/nova-senha/")
    assert "evil.example" not in email.body
    done = client.get(response["Location"]).content.decode()
    assert "Verifique seu e-mail" in done


def test_an_unknown_address_gets_the_same_page_and_no_email(client, ana):
    response = client.post(RESET, {"email": "ninguem@example.com"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["", "nao-e-email", "a" * 300 + "@x.com"])
def test_a_bad_address_is_said_in_portuguese(client, email):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Informe" in html or "no máximo" in html
    assert mail.outbox == []


def test_the_link_sets_a_new_password_once_and_ends_a_lockout(client, ana):
    make_login_records("ana", failures=5)  # locked out by earlier failed logins
    client.post(RESET, {"email": "ana@ipe.com.br"})
    link = _link(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]

    form = client.get("/" + link, follow=True)
    assert "Crie uma nova senha" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Senha alterada" in done.content.decode()
    ana.refresh_from_db()
    assert ana.check_password(NEW_PASSWORD)
    assert not AccessAttempt.objects.filter(username="ana").exists()

    again = client.get("/" + link, follow=True).content.decode()
    assert "Link inválido ou vencido" in again


def test_repeated_requests_stop_sending_mail_but_say_the_same(client, ana, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    for _ in range(4):
        response = client.post(RESET, {"email": "ana@ipe.com.br"})
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 2


def test_one_client_trying_many_addresses_is_stopped(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 3
    for number in range(5):
        UserFactory(email=f"pessoa{number}@example.com")
        client.post(RESET, {"email": f"pessoa{number}@example.com"})
    assert len(mail.outbox) == 3


def test_a_seller_changes_the_password_from_settings(client, ana):
    client.force_login(ana)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "senha-de-teste-123",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert response.status_code == 200
    ana.refresh_from_db()
    assert ana.check_password(NEW_PASSWORD)
