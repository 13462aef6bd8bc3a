"""Reading one integration's new and changed orders, incrementally and idempotently.

Each run resumes from the integration's watermark (the newest "updated at" stored, minus a small
overlap), pages through oldest first and stores each page in one statement. The token comes from
``get_access_token`` (the only door to one); a 401 refreshes it once through the keeper and
retries once, never in a loop; a dead grant has already taken the keeper's expiry path.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.utils import timezone

from integrations.helper_thread import one_helper_thread
from integrations.models import Integration
from integrations.orders import conf
from integrations.orders.models import OrderPulse
from integrations.orders.services.gaps import AuditedUpsert
from integrations.orders.services.import_trouble import import_failed, import_succeeded
from integrations.services.access import (
    AccessTokenUnavailable,
    IntegrationExpired,
    access_token_renewed,
    get_access_token,
)
from marketplaces import (
    AccessTokenRejected,
    OperatorLogin,
    OrderPage,
    OrderReader,
    ProviderMisconfigured,
    TemporarilyUnavailable,
    reader_for,
)
from marketplaces.base.orders import Cursor

logger = logging.getLogger(__name__)


class ImportOutcome(StrEnum):
    IMPORTED = "imported"
    NOT_ACTIVE = "not_active"
    EXPIRED = "expired"  # the keeper found the grant dead: Token Expirado
    NO_READER = "no_reader"
    REFUSED = "refused"  # a 401 even after a fresh token, a 403, our configuration: recorded


@dataclass(frozen=True)
class ImportResult:
    integration_id: int
    outcome: ImportOutcome
    pages: int = 0
    orders: int = 0


def orders_import(*, integration_id: int) -> ImportResult:
    """One incremental import. Raises ``TemporarilyUnavailable`` (429, 5xx, timeouts) after
    recording it, for the caller to retry no sooner than its ``retry_after``."""
    integration = Integration.objects.filter(pk=integration_id).first()
    if integration is None or not integration.is_active:
        return ImportResult(integration_id, ImportOutcome.NOT_ACTIVE)
    reader = reader_for(integration.marketplace)
    if reader is None:
        return ImportResult(integration_id, ImportOutcome.NO_READER)
    pulse, _ = OrderPulse.objects.get_or_create(integration=integration)
    started = timezone.now()
    since = (pulse.watermark - conf.overlap()) if pulse.watermark else started - conf.history()
    try:
        return _read_all(integration, reader, pulse, since)
    except IntegrationExpired:
        return ImportResult(integration_id, ImportOutcome.EXPIRED)
    except TemporarilyUnavailable as exc:
        import_failed(pulse=pulse, error=f"{exc}", failure=OrderPulse.Failure.TEMPORARY)
        raise
    except AccessTokenUnavailable as exc:
        import_failed(pulse=pulse, error=f"{exc}", failure=OrderPulse.Failure.TEMPORARY)
        raise TemporarilyUnavailable(str(exc)) from exc
    except (AccessTokenRejected, OperatorLogin, ProviderMisconfigured) as exc:
        logger.error(
            "orders.import.refused",
            extra={"integration_id": integration_id, "error": type(exc).__name__},
        )
        import_failed(pulse=pulse, error=f"{exc}", failure=OrderPulse.Failure.REFUSED)
        return ImportResult(integration_id, ImportOutcome.REFUSED)


def _read_all(
    integration: Integration, reader: OrderReader, pulse: OrderPulse, since: datetime
) -> ImportResult:
    token = [get_access_token(integration)]
    pages = stored = 0
    known_until = pulse.last_order_at
    new_orders: set[str] = set()
    newest_updated: datetime | None = None
    newest_created: datetime | None = None
    renewed = False
    cursor: Cursor | None = 0
    pages_writer = AuditedUpsert(integration=integration, pulse=pulse)  # records push's gaps

    def fetch(at: Cursor) -> OrderPage:
        return reader.read_page(
            access_token=token[0],
            account_id=integration.external_id,
            updated_since=since,
            cursor=at,
        )

    while cursor is not None:
        try:
            for page in _one_ahead(fetch, cursor, limit=conf.max_pages_per_run() - pages):
                stored += pages_writer.store(page.orders)
                pages += 1
                for record in page.orders:
                    if known_until is None or record.created_at > known_until:
                        new_orders.add(record.marketplace_order_id)
                    newest_updated = max(newest_updated or record.updated_at, record.updated_at)
                    newest_created = max(newest_created or record.created_at, record.created_at)
                cursor = page.next_cursor
            cursor = None
        except AccessTokenRejected:
            if renewed:
                raise  # a fresh token refused too: not a token problem, never a loop
            renewed = True
            try:
                token[0] = access_token_renewed(integration, token[0])
            except IntegrationExpired:
                return ImportResult(integration.pk, ImportOutcome.EXPIRED, pages, stored)
    import_succeeded(
        pulse=pulse,
        new_orders=len(new_orders),
        watermark=newest_updated,
        last_order_at=newest_created,
    )
    logger.info(
        "orders.import.done",
        extra={
            "integration_id": integration.pk,
            "pages": pages,
            "orders": stored,
            "new_orders": len(new_orders),
        },
    )
    return ImportResult(integration.pk, ImportOutcome.IMPORTED, pages, stored)


def _one_ahead(
    fetch: Callable[[Cursor], OrderPage], cursor: Cursor, *, limit: int
) -> Iterator[OrderPage]:
    """The pages from ``cursor`` on, the next one fetched while the caller stores this one.

    The network wait of page k+1 overlaps the database write of page k (the reader touches no
    database: only this thread does). At most ``limit`` pages; a fetch error surfaces in order.
    """
    with one_helper_thread(enabled=conf.prefetch_next_page(), name="orders-fetch") as pool:
        pending = pool.submit(fetch, cursor) if limit > 0 else None
        fetched = 1
        while pending is not None:
            page = pending.result()
            pending = None
            if page.next_cursor is not None and fetched < limit:
                pending = pool.submit(fetch, page.next_cursor)
                fetched += 1
            yield page
