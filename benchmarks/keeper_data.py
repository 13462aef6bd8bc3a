"""The token keeper benchmarks' data: due integrations holding tokens the loopback accepts once,
and a clean slate between parts."""

import uuid
from datetime import timedelta

from benchmarks.harness import QUEUE


def reset_tables() -> None:
    from django.db import connection

    from hub.models import Seller
    from integrations.models import Integration

    with connection.cursor() as cursor:
        cursor.execute(
            f"TRUNCATE {Integration._meta.db_table}, {Seller._meta.db_table} "
            "RESTART IDENTITY CASCADE"
        )


def seller():
    from hub.models import Seller

    return Seller.objects.create(name="Bench", cnpj=f"{uuid.uuid4().int % 10**14:014d}")


def make_due(count: int, *, due: bool = True, with_tokens: bool = True) -> list[int]:
    """count Ativo integrations; with tokens the loopback accepts once each."""
    from django.utils import timezone

    from integrations.models import Integration

    owner = seller()
    now = timezone.now()
    rows = []
    for n in range(count):
        integration = Integration(
            seller=owner,
            marketplace="magalu",
            external_id=str(uuid.uuid4()),
            account_name=f"Conta {n}",
            status=Integration.Status.ACTIVE,
            access_token_expires_at=now + timedelta(minutes=5 if due else 120),
            last_renewed_at=now - timedelta(hours=2),
        )
        if with_tokens:
            integration.set_tokens(
                access_token=f"bench-access-{uuid.uuid4().hex}",
                refresh_token=f"bench-seed-{uuid.uuid4().hex}",
            )
        rows.append(integration)
    created = Integration.objects.bulk_create(rows, batch_size=1000)
    return [integration.pk for integration in created]


def purge_queue(app) -> None:
    """Empties the bench queue and the keeper's dedup slots and in-flight markers."""
    from integrations.services.keeper_store import KEY_PREFIX, store

    with app.connection_for_write() as conn:
        conn.default_channel.client.delete(QUEUE)
    client = store._redis()
    keys = list(client.scan_iter(match=f"{KEY_PREFIX}*"))
    if keys:
        client.delete(*keys)


def refresh_body(refresh_token: str) -> dict:
    from marketplaces import get_provider

    return {
        "grant_type": "refresh_token",
        "client_id": get_provider("magalu").config.client_id,
        "client_secret": get_provider("magalu").config.client_secret,
        "refresh_token": refresh_token,
    }
