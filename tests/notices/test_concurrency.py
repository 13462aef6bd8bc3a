"""Two workers telling the same user the same thing at once: PostgreSQL's unique constraint lets
one e-mail through. The second INSERT waits for the first transaction, then fails."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction

from integrations.notices.models import Cause, NoticeEmail
from integrations.notices.services import _claim_todays_email, _deliver
from tests.factories import IntegrationFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_the_second_of_two_open_transactions_waits_and_gets_no_claim():
    integration = IntegrationFactory()
    user = UserFactory(membership__seller=integration.seller)
    claimed_first = threading.Event()
    results = {}

    def first():
        with transaction.atomic():
            got = _claim_todays_email(user=user, integration=integration, cause=Cause.SILENCE)
            claimed_first.set()
            time.sleep(0.5)  # still uncommitted while the second tries
        return got

    def second():
        claimed_first.wait(5)
        started = time.monotonic()
        got = _claim_todays_email(user=user, integration=integration, cause=Cause.SILENCE)
        return got, time.monotonic() - started

    threads = [_in_thread(first, results, "first"), _in_thread(second, results, "second")]
    for thread in threads:
        thread.join(10)

    assert results["first"] is True
    got, waited = results["second"]
    assert got is False and waited >= 0.3  # it waited for the first's commit
    assert NoticeEmail.objects.count() == 1


def test_two_deliveries_at_once_send_one_email_each_user():
    integration = IntegrationFactory()
    UserFactory(membership__seller=integration.seller, email="ana@loja.com.br")
    UserFactory(membership__seller=integration.seller, email="bia@loja.com.br")
    barrier = threading.Barrier(2)
    results = {}

    def deliver():
        barrier.wait(5)
        _deliver(integration_id=integration.pk, cause=Cause.SILENCE, details="", since=None)

    threads = [_in_thread(deliver, results, n) for n in range(2)]
    for thread in threads:
        thread.join(20)

    assert sorted(m.to[0] for m in mail.outbox) == ["ana@loja.com.br", "bia@loja.com.br"]
    assert NoticeEmail.objects.count() == 2
