"""The sweep: which integrations are due, in indexed keyset batches, each queued once."""

import json
import uuid
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.celery import app as celery_app
from integrations import tasks
from integrations.models import Integration
from integrations.selectors import integrations_due_for_refresh
from integrations.services.keeper_queue import integration_enqueue_refresh, refresh_slot
from integrations.services.keeper_store import store
from integrations.services.sweep import refresh_sweep
from tests.factories import IntegrationFactory, SellerFactory
from tests.integrations.conftest import sandbox_account

WINDOW = timedelta(minutes=15)


def _due_ids(**kwargs) -> list[int]:
    return [pk for batch in integrations_due_for_refresh(**kwargs) for pk in batch]


@pytest.mark.django_db
def test_selects_the_active_integrations_expiring_within_the_window_soonest_first():
    now = timezone.now()
    in_10_min = IntegrationFactory(access_token_expires_at=now + timedelta(minutes=10))
    ran_out = IntegrationFactory(access_token_expires_at=now - timedelta(hours=3))
    in_14_min = IntegrationFactory(access_token_expires_at=now + timedelta(minutes=14))
    IntegrationFactory(access_token_expires_at=now + timedelta(minutes=16))  # not due
    IntegrationFactory(access_token_expires_at=now + timedelta(hours=2))  # not due
    IntegrationFactory(expired=True)  # Token Expirado: never refreshed
    IntegrationFactory(
        status=Integration.Status.EXPIRED, access_token_expires_at=now + timedelta(minutes=1)
    )

    ids = _due_ids(window=WINDOW, batch_size=100, now=now)

    assert ids == [ran_out.pk, in_10_min.pk, in_14_min.pk]


@pytest.mark.django_db
def test_batches_by_keyset_with_one_query_each_and_no_row_twice():
    now = timezone.now()
    same_instant = now + timedelta(minutes=3)
    # Ties on the expiry are the hard case for keyset pagination.
    due = [IntegrationFactory(access_token_expires_at=same_instant) for _ in range(5)]
    due.append(IntegrationFactory(access_token_expires_at=now + timedelta(minutes=1)))
    due.append(IntegrationFactory(access_token_expires_at=now + timedelta(minutes=9)))

    with CaptureQueriesContext(connection) as queries:
        batches = list(integrations_due_for_refresh(window=WINDOW, batch_size=2, now=now))

    assert [len(batch) for batch in batches] == [2, 2, 2, 1]
    flat = [pk for batch in batches for pk in batch]
    assert sorted(flat) == sorted(i.pk for i in due)
    assert len(set(flat)) == len(flat)
    assert flat[0] == due[5].pk and flat[-1] == due[6].pk
    assert len(queries) == len(batches)
    # Only ids (and the keyset's expiry) are read: never tokens.
    assert all("ciphertext" not in q["sql"] for q in queries.captured_queries)
    assert all("OFFSET" not in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_an_exact_multiple_of_the_batch_size_ends_with_an_empty_probe():
    now = timezone.now()
    for minutes in (1, 2, 3, 4):
        IntegrationFactory(access_token_expires_at=now + timedelta(minutes=minutes))

    assert [len(b) for b in integrations_due_for_refresh(window=WINDOW, batch_size=2, now=now)] == [
        2,
        2,
    ]


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_selection_query_uses_the_due_index():
    now = timezone.now()
    seller = SellerFactory()
    rows = [
        Integration(
            seller=seller,
            marketplace="magalu",
            external_id=str(uuid.uuid4()),
            account_name=f"Conta {n}",
            status=Integration.Status.ACTIVE if n % 10 else Integration.Status.EXPIRED,
            # 2 in 50 expire soon (one of them is Token Expirado), the rest within two hours.
            access_token_expires_at=now + timedelta(minutes=5 if n % 50 < 2 else 20 + n % 100),
        )
        for n in range(5000)
    ]
    Integration.objects.bulk_create(rows, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE integrations_integration")

    with CaptureQueriesContext(connection) as queries:
        batches = list(integrations_due_for_refresh(window=WINDOW, batch_size=40, now=now))

    assert sum(len(b) for b in batches) == 100
    assert len(queries) >= 3  # the first page and keyset pages after it
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN {query['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "integration_due_idx" in plan, plan
            assert "Seq Scan" not in plan, plan


# --- Enqueueing: once per integration while queued or running ------------------------------------


@pytest.mark.django_db
def test_the_sweep_hands_due_integrations_to_tasks_a_few_at_a_time_with_jitter(
    sent_tasks, settings, django_capture_on_commit_callbacks
):
    settings.INTEGRATIONS_SWEEP_JITTER_SECONDS = 10
    settings.INTEGRATIONS_SWEEP_BATCH_SIZE = 5
    settings.INTEGRATIONS_REFRESH_TASK_BATCH = 2
    now = timezone.now()
    due = [
        IntegrationFactory(access_token_expires_at=now + timedelta(minutes=m)) for m in (1, 2, 3)
    ]
    IntegrationFactory(access_token_expires_at=now + timedelta(hours=1))
    IntegrationFactory(expired=True)

    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_sweep() == 3

    assert [task.name for task in sent_tasks] == ["integrations.refresh_batch"] * 2
    assert [task.args for task in sent_tasks] == [
        ([due[0].pk, due[1].pk],),
        ([due[2].pk],),
    ]
    assert all(task.kwargs == {} for task in sent_tasks)
    assert all(0 <= task.options["countdown"] < 10 for task in sent_tasks)


@pytest.mark.django_db
def test_with_a_batch_of_one_each_integration_has_its_own_task(
    sent_tasks, settings, django_capture_on_commit_callbacks
):
    settings.INTEGRATIONS_SWEEP_JITTER_SECONDS = 0
    settings.INTEGRATIONS_REFRESH_TASK_BATCH = 1
    now = timezone.now()
    due = [IntegrationFactory(access_token_expires_at=now + timedelta(minutes=m)) for m in (1, 2)]

    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_sweep() == 2

    assert [(task.name, task.args) for task in sent_tasks] == [
        ("integrations.refresh_integration", (integration.pk,)) for integration in due
    ]


@pytest.mark.django_db
def test_a_batch_leaves_out_what_is_already_queued(
    sent_tasks, settings, django_capture_on_commit_callbacks
):
    now = timezone.now()
    queued, due = (IntegrationFactory(access_token_expires_at=now) for _ in range(2))
    with django_capture_on_commit_callbacks(execute=True):
        assert integration_enqueue_refresh(integration_id=queued.pk) is True
        assert refresh_sweep() == 1

    assert [(task.name, task.args) for task in sent_tasks] == [
        ("integrations.refresh_integration", (queued.pk,)),
        ("integrations.refresh_batch", ([due.pk],)),
    ]


@pytest.mark.django_db
def test_an_integration_already_queued_or_running_is_not_queued_again(
    sent_tasks, django_capture_on_commit_callbacks
):
    integration = IntegrationFactory(access_token_expires_at=timezone.now() + timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_sweep() == 1
        assert refresh_sweep() == 0  # still queued
        assert integration_enqueue_refresh(integration_id=integration.pk, force=True) is False
    assert len(sent_tasks) == 1


@pytest.mark.django_db
def test_the_slot_is_freed_when_the_task_ends(sandbox_http, due_account, sent_tasks):
    pk = due_account.integration.pk
    assert integration_enqueue_refresh(integration_id=pk) is True
    assert integration_enqueue_refresh(integration_id=pk) is False

    result = tasks.refresh_integration_task.apply(args=[pk]).get()

    assert result == {"integration_id": pk, "outcome": "refreshed"}
    assert integration_enqueue_refresh(integration_id=pk) is True


@pytest.mark.django_db
def test_a_redis_outage_never_blocks_a_refresh(sandbox_http, due_account, sent_tasks, monkeypatch):
    """The slot is an optimisation: with Redis down the task is still queued and still runs
    (the database lease keeps the refresh single)."""
    import redis

    def down(*args, **kwargs):
        raise redis.ConnectionError("redis down")

    monkeypatch.setattr(store, "add", down)
    monkeypatch.setattr(store, "delete", down)
    pk = due_account.integration.pk

    assert integration_enqueue_refresh(integration_id=pk) is True
    assert tasks.refresh_integration_task.apply(args=[pk]).get()["outcome"] == "refreshed"


@pytest.mark.django_db
def test_the_slot_lives_through_the_countdown_of_a_delayed_task(sent_tasks, settings):
    settings.INTEGRATIONS_REFRESH_DEDUP_TTL_SECONDS = 60
    integration = IntegrationFactory(access_token_expires_at=timezone.now())

    assert integration_enqueue_refresh(integration_id=integration.pk, countdown=600) is True

    client = store._redis()
    if client is not None:
        assert client.ttl(refresh_slot(integration.pk).key) > 600


@pytest.mark.django_db
def test_a_deleted_integration_ends_its_task_quietly(sent_tasks):
    integration = IntegrationFactory(access_token_expires_at=timezone.now())
    integration_enqueue_refresh(integration_id=integration.pk)
    pk = integration.pk
    Integration.objects.filter(pk=pk).delete()

    assert tasks.refresh_integration_task.apply(args=[pk]).get() == {
        "integration_id": pk,
        "outcome": "gone",
    }
    assert integration_enqueue_refresh(integration_id=pk) is True


@pytest.mark.django_db
def test_the_task_is_sent_only_after_commit(sent_tasks, django_capture_on_commit_callbacks):
    integration = IntegrationFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        assert integration_enqueue_refresh(integration_id=integration.pk, force=True)
        assert sent_tasks == []
    assert len(callbacks) == 1
    assert [(t.args, t.kwargs) for t in sent_tasks] == [((integration.pk,), {"force": True})]


@pytest.mark.django_db
def test_a_broker_outage_frees_the_slot_for_the_next_sweep(django_capture_on_commit_callbacks):
    integration = IntegrationFactory(access_token_expires_at=timezone.now())
    with pytest.MonkeyPatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        for task in (tasks.refresh_integration_task, tasks.refresh_batch_task):
            patch.setattr(
                task,
                "apply_async",
                lambda *a, **k: (_ for _ in ()).throw(ConnectionError("broker down")),
            )
        assert refresh_sweep() == 1  # taken, then released when the send failed
    assert integration_enqueue_refresh(integration_id=integration.pk) is True


@pytest.mark.django_db
def test_inline_sweep_refreshes_due_integrations(
    sandbox_http, due_account, eager_tasks, django_capture_on_commit_callbacks
):
    """Without Redis (development) the same sweep runs the refresh in-process."""
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_sweep() == 1
    assert due_account.reload().events.get().kind == "refreshed"
    assert integration_enqueue_refresh(integration_id=due_account.integration.pk) is True


@pytest.mark.django_db
def test_the_sweep_task_returns_only_a_count(sent_tasks):
    IntegrationFactory(access_token_expires_at=timezone.now())
    assert tasks.refresh_sweep_task.apply().get() == {"enqueued": 1}


# --- What actually goes to Redis -----------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_messages_on_the_broker_carry_ids_only(settings, seller):
    """Reads the raw messages back from Redis: no token material in body or headers."""
    queue = f"keeper-test-{uuid.uuid4().hex[:8]}"
    settings.INTEGRATIONS_TASK_QUEUE = queue
    settings.INTEGRATIONS_SWEEP_JITTER_SECONDS = 0
    account = sandbox_account(seller=seller)
    assert not celery_app.conf.task_always_eager

    assert refresh_sweep() == 1

    with celery_app.connection_for_read() as conn:
        client = conn.default_channel.client
        raw_messages = client.lrange(queue, 0, -1)
        client.delete(queue, *client.scan_iter(match=f"_kombu.*{queue}"))
    assert len(raw_messages) == 1
    raw = raw_messages[0].decode()
    assert account.access_token not in raw and account.refresh_token not in raw
    assert account.integration.access_token_ciphertext not in raw
    message = json.loads(raw)
    assert message["headers"]["task"] == "integrations.refresh_batch"
    body = json.loads(_decode_body(message))
    assert body[:2] == [[[account.integration.pk]], {}]


def _decode_body(message: dict) -> str:
    import base64

    body = message["body"]
    if message["properties"].get("body_encoding") == "base64":
        body = base64.b64decode(body).decode()
    return body


# --- Beat's static schedule ----------------------------------------------------------------------


def test_beat_runs_the_sweeps_on_the_configured_intervals(settings):
    from celery.schedules import crontab

    from integrations.schedule import beat_schedule

    settings.INTEGRATIONS_SWEEP_INTERVAL_SECONDS = 30
    settings.INTEGRATIONS_HEALTH_CHECK_INTERVAL_SECONDS = 900
    settings.INTEGRATIONS_TASK_QUEUE = "keeper"

    schedule = beat_schedule()

    sweep = schedule["integrations.refresh-sweep"]
    assert (sweep["task"], sweep["schedule"]) == ("integrations.refresh_sweep", 30)
    assert sweep["options"] == {"expires": 30, "queue": "keeper"}
    health = schedule["integrations.health-check-sweep"]
    assert (health["task"], health["schedule"]) == ("integrations.health_check_sweep", 900)
    cleanup = schedule["integrations.authorization-attempts-cleanup"]
    assert cleanup["schedule"] == crontab(hour=4, minute=17)
    registered = set(celery_app.tasks)
    assert {entry["task"] for entry in schedule.values()} <= registered


@pytest.mark.django_db
def test_the_cleanup_task_returns_a_count():
    assert tasks.authorization_attempts_cleanup_task.apply().get() == {"deleted": 0}
