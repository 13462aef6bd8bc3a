"""Each cause: an in-app notice for every active member and one branded e-mail each (HTML and
text), at most one a day per user, integration and cause, none for a user who opted out."""

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from integrations.models import Integration
from integrations.notices.models import Cause, EmailOptOut, Notice, NoticeEmail, Topic
from integrations.notices.services import email_preferences_set, notify
from integrations.services.lifecycle import integration_mark_expired
from integrations.services.notifications import reactivation_url
from integrations.services.support import integration_send_reactivation_link
from tests.factories import IntegrationFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    Cause.EXPIRED: ("Token expirado: Magazine Luiza · Loja Exemplo Ltda", "Reativar integração"),
    Cause.LOST_RENEWAL: (
        "Renovação perdida: Magazine Luiza · Loja Exemplo Ltda",
        "Reativar integração",
    ),
    Cause.IMPORT_FAILING: (
        "Pedidos não estão sendo importados: Magazine Luiza · Loja Exemplo Ltda",
        "Ver Marketplaces",
    ),
    Cause.IMPORT_RECOVERED: (
        "Pedidos voltaram a ser importados: Magazine Luiza · Loja Exemplo Ltda",
        "Ver Marketplaces",
    ),
    Cause.SILENCE: ("Sem pedidos novos: Magazine Luiza · Loja Exemplo Ltda", "Ver Marketplaces"),
    Cause.ORDERS_RESUMED: (
        "Pedidos voltaram a chegar: Magazine Luiza · Loja Exemplo Ltda",
        "Ver Marketplaces",
    ),
    Cause.RECONNECTED: (
        "Integração reativada: Magazine Luiza · Loja Exemplo Ltda",
        "Ver Marketplaces",
    ),
    Cause.AUTHORIZATION_ENDING: (
        "Autorização perto do fim: Magazine Luiza · Loja Exemplo Ltda",
        "Autorizar de novo",
    ),
}


@pytest.fixture
def integration(seller):
    return IntegrationFactory(seller=seller, account_name="Loja Exemplo Ltda")


@pytest.fixture
def ana(seller):
    return UserFactory(username="ana", email="ana@loja.com.br", membership__seller=seller)


def _notify(capture, integration, cause, **kwargs):
    with capture(execute=True):
        notify(integration=integration, cause=cause, **kwargs)


@pytest.mark.parametrize("cause", list(Cause))
def test_each_cause_gives_a_notice_and_one_branded_email(
    integration, ana, django_capture_on_commit_callbacks, cause
):
    since = timezone.now()
    _notify(django_capture_on_commit_callbacks, integration, cause, details="HTTP 500", since=since)

    title, action = EXPECTED[cause]
    notice = Notice.objects.get(user=ana)
    assert (notice.title, notice.action_label, notice.cause) == (title, action, cause)
    assert notice.seller_id == integration.seller_id and notice.read_at is None
    [email] = mail.outbox
    assert (email.subject, email.to) == (title, ["ana@loja.com.br"])
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert "Hub de Integrações" in html and f">{action}</a>" in html
    assert "#12805c" in html and "<img" not in html and "<style" not in html
    assert action in email.body and "http://hub.test/configuracoes/notificacoes/" in email.body
    if action == "Reativar integração":
        assert "/ativar-token/magalu/?integracao=" in notice.action_url
        assert reactivation_url(integration) in email.body
        assert reactivation_url(integration).replace("&", "&amp;") in html
    else:
        assert "http://hub.test/configuracoes/integracoes/marketplaces/" in email.body


def test_every_active_member_gets_a_notice_but_only_addresses_get_mail(
    integration, ana, seller, django_capture_on_commit_callbacks
):
    no_address = UserFactory(email="", membership__seller=seller)
    UserFactory(email="ex@loja.com.br", is_active=False, membership__seller=seller)
    UserFactory(email="outro@outra.com.br")  # another seller's

    _notify(django_capture_on_commit_callbacks, integration, Cause.SILENCE)

    assert set(Notice.objects.values_list("user", flat=True)) == {ana.pk, no_address.pk}
    assert [email.to for email in mail.outbox] == [["ana@loja.com.br"]]


def test_at_most_one_email_a_day_per_user_integration_and_cause(
    integration, ana, seller, django_capture_on_commit_callbacks
):
    other = IntegrationFactory(seller=seller, account_name="Outra Conta Ltda")
    with time_machine.travel("2026-03-10 12:00:00Z", tick=False):
        _notify(django_capture_on_commit_callbacks, integration, Cause.IMPORT_FAILING)
        _notify(django_capture_on_commit_callbacks, integration, Cause.IMPORT_FAILING)
        _notify(django_capture_on_commit_callbacks, integration, Cause.IMPORT_RECOVERED)
        _notify(django_capture_on_commit_callbacks, other, Cause.IMPORT_FAILING)
    assert len(mail.outbox) == 3
    assert Notice.objects.filter(user=ana).count() == 4  # the in-app list has them all

    # 02:59 UTC is still the 10th in São Paulo (UTC-3): the same day.
    with time_machine.travel("2026-03-11 02:59:00Z", tick=False):
        _notify(django_capture_on_commit_callbacks, integration, Cause.IMPORT_FAILING)
    assert len(mail.outbox) == 3
    with time_machine.travel("2026-03-11 03:01:00Z", tick=False):
        _notify(django_capture_on_commit_callbacks, integration, Cause.IMPORT_FAILING)
    assert len(mail.outbox) == 4
    assert NoticeEmail.objects.filter(user=ana, cause=Cause.IMPORT_FAILING).count() == 3


def test_an_opt_out_stops_the_email_not_the_notice(
    integration, ana, seller, django_capture_on_commit_callbacks
):
    bia = UserFactory(email="bia@loja.com.br", membership__seller=seller)
    email_preferences_set(user=ana, receive={Topic.TOKEN, Topic.SILENCE, Topic.RECONNECTED})

    _notify(django_capture_on_commit_callbacks, integration, Cause.IMPORT_FAILING)
    _notify(django_capture_on_commit_callbacks, integration, Cause.SILENCE)

    assert Notice.objects.filter(user=ana).count() == 2
    assert sorted((m.to[0], m.subject.split(":")[0]) for m in mail.outbox) == [
        ("ana@loja.com.br", "Sem pedidos novos"),
        ("bia@loja.com.br", "Pedidos não estão sendo importados"),
        ("bia@loja.com.br", "Sem pedidos novos"),
    ]
    assert list(EmailOptOut.objects.filter(user=bia)) == []


def test_a_rolled_back_change_tells_nobody(integration, ana, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(integration=integration, cause=Cause.SILENCE)
        raise RuntimeError
    assert callbacks == []
    assert not Notice.objects.exists() and mail.outbox == []


def test_a_mail_server_outage_is_logged_and_the_day_stays_open(
    integration, ana, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from django.core.mail import EmailMultiAlternatives

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    _notify(django_capture_on_commit_callbacks, integration, Cause.SILENCE)
    assert Notice.objects.filter(user=ana).exists()
    assert not NoticeEmail.objects.exists()  # released: a later notice may try again today
    assert "notices.email.failed" in caplog.text

    monkeypatch.undo()
    _notify(django_capture_on_commit_callbacks, integration, Cause.SILENCE)
    assert len(mail.outbox) == 1


def test_expiry_and_lost_rotation_are_told_apart(
    integration, ana, django_capture_on_commit_callbacks
):
    lost = IntegrationFactory(seller=integration.seller, account_name="Perdida Ltda")
    with django_capture_on_commit_callbacks(execute=True):
        integration_mark_expired(
            integration_id=integration.pk,
            reason="Magazine Luiza recusou a renovação do token (invalid_grant).",
            cause=Integration.ExpiryCause.REVOKED,
        )
        integration_mark_expired(
            integration_id=lost.pk,
            reason="Renovação perdida: o Magazine Luiza pode ter renovado o token.",
            cause=Integration.ExpiryCause.LOST_ROTATION,
        )
    assert sorted(Notice.objects.values_list("cause", flat=True)) == [
        Cause.EXPIRED,
        Cause.LOST_RENEWAL,
    ]
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        "Renovação perdida: Magazine Luiza · Perdida Ltda",
        "Token expirado: Magazine Luiza · Loja Exemplo Ltda",
    ]
    expired = next(m for m in mail.outbox if m.subject.startswith("Token"))
    assert "invalid_grant" in expired.body and "autorização revogada" in expired.body
    for message in mail.outbox:
        for secret in ("access-", "refresh-"):
            assert secret not in message.body and secret not in message.alternatives[0].content


def test_supports_link_is_sent_past_the_daily_limit_and_the_opt_out(
    integration, ana, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory as Staff

    staff = Staff(membership=None, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        integration_mark_expired(
            integration_id=integration.pk, reason="x", cause=Integration.ExpiryCause.REVOKED
        )
    email_preferences_set(user=ana, receive=set())
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            integration_send_reactivation_link(integration_id=integration.pk, actor=staff)
    assert len(mail.outbox) == 3
    assert all(reactivation_url(integration) in m.body for m in mail.outbox)
    assert Notice.objects.filter(user=ana).count() == 1  # the link adds no notice
