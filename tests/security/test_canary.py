"""Canary: run the whole journey and look everywhere a token could leak.

The stand-in puts a unique marker in every token it issues, and a spy keeps the exact token strings.
After connect, refresh, a failing refresh, expiry, reactivation and the admin pages at DEBUG
logging, neither the marker nor a token (nor anything shaped like a JWT) may appear in the logs, in an
HTML body, in a ``Location`` header, in a Celery message or result, in an e-mail, or in any raw
database column.
"""

import logging
import re
import uuid
from unittest import mock
from urllib.parse import urlsplit

import pytest
from celery.app.task import Task
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from config.celery import app as celery_app
from integrations.models import Integration
from integrations.services.keeper_queue import integration_enqueue_refresh
from integrations.services.refresh import integration_refresh
from marketplaces import TemporarilyUnavailable
from marketplaces.magalu.standin import issuer
from marketplaces.sandbox import faults
from tests.factories import UserFactory
from tests.sandbox_http import sandbox_consent

CASA = "d3b07384-d9a0-4c9b-8a7e-5f1e2b000103"
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.")


class Recorder:
    """Everything the journey shows to the outside, collected for one scan."""

    def __init__(self):
        self.texts: list[tuple[str, str]] = []

    def add(self, where: str, text) -> None:
        self.texts.append((where, str(text)))

    def response(self, where: str, response) -> None:
        self.add(f"{where} body", response.content.decode(errors="replace"))
        if response.has_header("Location"):
            self.add(f"{where} Location", response["Location"])


def _browse(client, recorder: Recorder, url: str, *, method: str = "get", data=None):
    response = getattr(client, method)(url, data or {})
    recorder.response(url, response)
    return response


def _callback(client, recorder: Recorder, callback_url: str):
    parts = urlsplit(callback_url)
    response = client.get(f"{parts.path}?{parts.query}")
    recorder.response("callback", response)
    _browse(client, recorder, response["Location"])


def _raw_database() -> str:
    """Every row of every table; session data decoded (it is base64 JSON, itself "eyJ…")."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            dump.extend(repr(row) for row in cursor.fetchall())
    dump = [line for line in dump if "eyJ" not in line or not _is_session_row(line)]
    dump.extend(repr(Session.objects.get(pk=s.pk).get_decoded()) for s in Session.objects.all())
    return "\n".join(dump)


def _is_session_row(line: str) -> bool:
    return any(s.session_key in line for s in Session.objects.only("session_key"))


@pytest.fixture
def eager_celery():
    """Tasks run inline but still go through ``apply_async``, the message path."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.mark.django_db
def test_no_token_leaks_anywhere(
    seller_client,
    seller,
    sandbox_http,
    settings,
    caplog,
    django_capture_on_commit_callbacks,
    eager_celery,
):
    marker = f"canary{uuid.uuid4().hex}"
    settings.SANDBOX_TOKEN_MARKER = marker
    settings.INTEGRATIONS_ROTATION_WINDOW_MINUTES = 0  # the unknown outcome below: retry at once
    caplog.set_level(logging.DEBUG)
    issued: list[str] = []
    real_encode = issuer.encode_jwt

    def spy(*args, **kwargs):
        token = real_encode(*args, **kwargs)
        issued.append(token)
        return token

    celery_messages: list[str] = []
    real_apply_async = Task.apply_async

    def record_apply_async(self, args=None, kwargs=None, **options):
        celery_messages.append(repr((self.name, args, kwargs, options)))
        result = real_apply_async(self, args, kwargs, **options)
        celery_messages.append(repr(getattr(result, "result", None)))
        return result

    recorder = Recorder()
    with (
        mock.patch.object(issuer, "encode_jwt", spy),
        mock.patch.object(Task, "apply_async", record_apply_async),
    ):
        # Connect for the first time.
        start = _browse(
            seller_client, recorder, reverse("integrations:connect", args=["magalu"]), method="post"
        )
        _callback(seller_client, recorder, sandbox_consent(seller_client, start["Location"], CASA))
        integration = Integration.objects.get(seller=seller)

        # Refresh through a real task message (as beat's sweep would), then a transient failure,
        # then a dead grant.
        with django_capture_on_commit_callbacks(execute=True):
            assert integration_enqueue_refresh(integration_id=integration.pk, force=True)
        faults.arm("refresh", "server_error")
        with pytest.raises(TemporarilyUnavailable):
            integration_refresh(integration_id=integration.pk, force=True)
        faults.arm("refresh", "invalid_grant")
        integration_refresh(integration_id=integration.pk, force=True)
        assert Integration.objects.get(pk=integration.pk).status == Integration.Status.EXPIRED

        # Reactivate.
        _browse(seller_client, recorder, reverse("integrations:marketplaces"))
        start = _browse(
            seller_client,
            recorder,
            reverse("integrations:reactivate_confirm", args=["magalu"]),
            method="post",
            data={"integration": integration.pk},
        )
        _callback(seller_client, recorder, sandbox_consent(seller_client, start["Location"], CASA))
        assert Integration.objects.get(pk=integration.pk).status == Integration.Status.ACTIVE

        # Support looks at everything.
        client = Client()
        client.force_login(UserFactory(is_staff=True, is_superuser=True, membership=None))
        for url in (
            reverse("admin:integrations_integration_changelist"),
            reverse("admin:integrations_integration_change", args=[integration.pk]),
            reverse("admin:integrations_integration_history", args=[integration.pk]),
            reverse("admin:integrations_authorizationattempt_changelist"),
            reverse("admin:integrations_integrationevent_changelist"),
        ):
            response = _browse(client, recorder, url)
            assert response.status_code == 200, url
        _browse(seller_client, recorder, reverse("integrations:history", args=[integration.pk]))

    assert len(issued) >= 6  # two grants on connect/reactivate, one refresh: access + refresh each
    for message in mail.outbox:
        recorder.add("e-mail", message.subject + message.body)
    for record in caplog.records:
        recorder.add(f"log {record.name}", f"{record.getMessage()} {record.__dict__}")
    for message in celery_messages:
        recorder.add("celery", message)
    recorder.add("database", _raw_database())

    assert any(where.startswith("log") for where, _ in recorder.texts)
    assert celery_messages, "the journey must have sent Celery tasks"
    needles = [marker, *issued]
    leaks = [
        (where, needle[:12])
        for where, text in recorder.texts
        for needle in needles
        if needle in text
    ]
    # Any JWT at all, not only ours: header and payload are JSON objects, so both start "eyJ".
    # (A bare "eyJ" also turns up by chance inside random CSRF tokens and states.)
    leaks += [(where, "JWT") for where, text in recorder.texts if _JWT.search(text)]
    assert leaks == []
