"""A new seller or user is invited by e-mail to create the password: from `create_seller` and
from the admin, end to end (e-mail → link → password → login)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hub.models import Membership
from tests.factories import SellerFactory, valid_cnpj

pytestmark = pytest.mark.django_db
PASSWORD = "um-cavalo-azul-correu-43"


def _path(email) -> str:
    [url] = re.findall(r"https?://\S+/entrar/convite/\S+", email.body)
    assert url.startswith("http://hub.test/")  # SITE_URL, never a request's Host
    return url.removeprefix("http://hub.test")


def _create_seller(**extra):
    args = {
        "--name": "Loja Nova",
        "--cnpj": valid_cnpj(555_000_000_001),
        "--username": "maria",
        "--email": "maria@loja.com.br",
        **extra,
    }
    call_command("create_seller", *[f"{k}={v}" for k, v in args.items()])


def test_create_seller_invites_instead_of_printing_a_password(client, capsys):
    _create_seller()

    out = capsys.readouterr().out
    assert "Convite enviado para maria@loja.com.br" in out and "Senha" not in out
    maria = get_user_model().objects.get(username="maria")
    assert not maria.has_usable_password()
    [email] = mail.outbox
    assert email.to == ["maria@loja.com.br"]
    assert email.subject == "Convite para o Hub de Integrações · Loja Nova"
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert ">Criar minha senha</a>" in html and "maria" in email.body
    assert "vale por 2 horas" in email.body

    form = client.get(_path(email), follow=True)
    assert "Crie sua senha" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )
    assert "Senha criada" in done.content.decode()

    logged_in = client.post(
        reverse("login"), {"username": "maria", "password": PASSWORD}, follow=True
    )
    assert logged_in.context["user"].username == "maria"
    assert "Loja Nova" in logged_in.content.decode()

    client.logout()
    again = client.get(_path(email), follow=True).content.decode()
    assert "Link inválido ou vencido" in again  # single use


def test_create_seller_with_a_password_sends_nothing(capsys):
    _create_seller(**{"--password": PASSWORD})
    assert mail.outbox == []
    assert get_user_model().objects.get(username="maria").check_password(PASSWORD)


def test_an_invitation_expires_with_password_reset_timeout(client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    _create_seller()
    path = _path(mail.outbox[0])
    assert "vale por 1 hora" in mail.outbox[0].body
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        page = client.get(path, follow=True).content.decode()
    assert "Link inválido ou vencido" in page


def test_an_invited_user_can_ask_for_a_new_link(client):
    _create_seller()
    mail.outbox.clear()
    client.post(reverse("password_reset"), {"email": "maria@loja.com.br"})
    [email] = mail.outbox
    assert "/entrar/nova-senha/" in email.body


def test_a_bad_address_is_refused_before_anything_is_created():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="E-mail inválido"):
        _create_seller(**{"--email": "nao-e-email"})
    assert not get_user_model().objects.exists()


@pytest.fixture
def admin_client(client, db):
    from tests.factories import UserFactory

    root = UserFactory(membership=None, is_staff=True, is_superuser=True)
    client.force_login(root)
    return client


def test_a_user_added_in_the_admin_is_invited(admin_client, django_capture_on_commit_callbacks):
    seller = SellerFactory(name="Papelaria Ipê")
    add = reverse("admin:auth_user_add")
    page = admin_client.get(add).content.decode()
    assert "password1" not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            add,
            {
                "username": "joana",
                "email": "joana@ipe.com.br",
                "first_name": "Joana",
                "last_name": "",
                "membership-TOTAL_FORMS": "1",
                "membership-INITIAL_FORMS": "0",
                "membership-MIN_NUM_FORMS": "0",
                "membership-MAX_NUM_FORMS": "1",
                "membership-0-seller": str(seller.pk),
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    joana = get_user_model().objects.get(username="joana")
    assert not joana.has_usable_password()
    assert Membership.objects.get(user=joana).seller == seller
    [email] = mail.outbox
    assert email.subject == "Convite para o Hub de Integrações · Papelaria Ipê"
    assert "Olá, Joana." in email.body and _path(email)


def test_the_admin_sends_an_invitation_again(admin_client, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    user = UserFactory(email="rui@ipe.com.br")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "send_invitation", "_selected_action": [user.pk]},
        )
    [email] = mail.outbox
    assert email.to == ["rui@ipe.com.br"]
