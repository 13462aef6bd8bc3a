"""The new pages and e-mails read in Portuguese (the shared crawl of tests/portuguese.py)."""

import pytest
from django.core import mail
from django.urls import reverse

from integrations.notices.models import Cause
from integrations.notices.services import notify
from tests.factories import IntegrationFactory
from tests.portuguese import english_on

pytestmark = pytest.mark.django_db


def test_notice_pages_and_emails_are_in_portuguese(
    seller_client, seller, seller_user, django_capture_on_commit_callbacks
):
    integration = IntegrationFactory(seller=seller, account_name="Papelaria Ipê Ltda")
    with django_capture_on_commit_callbacks(execute=True):
        for cause in Cause:
            notify(integration=integration, cause=cause, details="serviço indisponível")
    english = {}
    pages = [
        ("get", reverse("notices:list"), None, 200),
        ("get", reverse("notices:list") + "?pagina=x", None, 200),
        ("get", reverse("notices:preferences"), None, 200),
        ("post", reverse("notices:preferences"), {"receive": "x"}, 400),
        ("get", reverse("settings"), None, 200),
        ("get", reverse("notices:open", args=[999999]), None, 404),
    ]
    for method, url, data, status in pages:
        response = getattr(seller_client, method)(url, data or {})
        assert response.status_code == status, url
        if found := english_on(response.content.decode()):
            english[f"{method} {url}"] = found
    for message in mail.outbox:
        for part in (message.subject, message.body, message.alternatives[0].content):
            if found := english_on(part):
                english[message.subject] = found
    assert len(mail.outbox) == len(Cause)
    assert english == {}


def test_invitation_pages_and_email_are_in_portuguese(client):
    from django.core.management import call_command

    from tests.factories import valid_cnpj

    call_command(
        "create_seller",
        "--name=Loja Nova",
        f"--cnpj={valid_cnpj(555_000_000_002)}",
        "--username=maria",
        "--email=maria@loja.com.br",
    )
    [email] = mail.outbox
    english = english_on(email.body) + english_on(email.alternatives[0].content)
    link = next(w for w in email.body.split() if "/entrar/convite/" in w)
    form = client.get(link.removeprefix("http://hub.test"), follow=True)
    english += english_on(form.content.decode())
    weak = client.post(form.redirect_chain[-1][0], {"new_password1": "1", "new_password2": "1"})
    english += english_on(weak.content.decode())
    english += english_on(client.get(reverse("invitation_complete")).content.decode())
    english += english_on(client.get("/entrar/convite/MQ/invalido/").content.decode())
    assert english == []
