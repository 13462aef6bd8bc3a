"""Settling the notifications of one order: fetched with the account's own token, upserted.

The body only points at an order. What is stored is what the marketplace answers to the account
the notification names, read with that account's token, and written as that integration's row:
a body naming another seller's order finds nothing (the marketplace answers 403 or 404 to a
token of another account) and changes no row of anyone's.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from hub.text import clean_text
from integrations.models import Integration
from integrations.orders.models import Order
from integrations.orders.services.pulse import pulse_order_arrived
from integrations.orders.services.silence import integration_silence_check
from integrations.orders.services.upsert import orders_upsert
from integrations.push import conf
from integrations.push.models import Notification
from integrations.services.access import (
    AccessTokenUnavailable,
    IntegrationExpired,
    with_access_token,
)
from integrations.sync.retry import retry_countdown
from marketplaces import (
    AccessTokenRejected,
    OperatorLogin,
    OrderRecord,
    ProviderMisconfigured,
    TemporarilyUnavailable,
    reader_for,
)

logger = logging.getLogger(__name__)

State = Notification.State


def notifications_settle(*, notices: list[Notification]) -> int:
    """Settles claimed notifications that name one order of one account (one fetch for all);
    returns how many it handled."""
    first = notices[0]
    integration = Integration.objects.filter(
        marketplace=first.marketplace, external_id=first.account_id
    ).first()
    if integration is None:
        return _finish(notices, State.UNKNOWN_ACCOUNT)
    if not integration.is_active:
        return _finish(notices, State.INACTIVE, integration=integration)
    if max(notice.attempts for notice in notices) > conf.max_attempts():
        # Claimed this often without an end: its worker died each time (or a bug). Support looks.
        return _finish(notices, State.FAILED, integration=integration, error="tentativas esgotadas")
    reader = reader_for(first.marketplace)
    if reader is None or not first.resource_id:
        error = "sem leitor de pedidos" if reader is None else "a notificação não nomeia um pedido"
        return _finish(notices, State.FAILED, integration=integration, error=error)
    try:
        record = with_access_token(
            integration,
            lambda token: reader.read_order(
                access_token=token, account_id=integration.external_id, order_id=first.resource_id
            ),
        )
    except IntegrationExpired:
        return _finish(notices, State.INACTIVE, integration=integration)
    except TemporarilyUnavailable as exc:
        return _postpone(notices, integration, error=str(exc), retry_after=exc.retry_after)
    except AccessTokenUnavailable as exc:
        return _postpone(notices, integration, error=str(exc), retry_after=None)
    except (AccessTokenRejected, OperatorLogin, ProviderMisconfigured) as exc:
        logger.error(
            "push.notification.refused",
            extra={"integration_id": integration.pk, "error": type(exc).__name__},
        )
        return _finish(notices, State.FAILED, integration=integration, error=str(exc))
    except Exception as exc:
        # Not a failure the marketplace names: tried again later, and failed after the last try
        # with the evidence kept, rather than lost in a log.
        logger.exception(
            "push.notification.unexpected_error",
            extra={"integration_id": integration.pk, "notification_id": first.pk},
        )
        return _postpone(notices, integration, error=type(exc).__name__, retry_after=None)
    if record is None:
        return _finish(notices, State.NOT_FOUND, integration=integration)
    return _store(notices, integration, record)


def _store(notices: list[Notification], integration: Integration, record: OrderRecord) -> int:
    with transaction.atomic():
        # The first to announce the order says how it arrived (a notification, or one the
        # marketplace kept for us and we read back).
        orders_upsert(
            integration=integration, records=[record], arrived_via=Order.Arrival(notices[0].via)
        )
        resumed = pulse_order_arrived(integration_id=integration.pk, created_at=record.created_at)
        done = _finish(notices, State.DONE, integration=integration)
    if resumed:
        # The seller hears that orders are back now, not at the next (rarer) import.
        integration_silence_check(integration_id=integration.pk)
    return done


def _finish(
    notices: list[Notification],
    state: str,
    *,
    integration: Integration | None = None,
    error: str = "",
) -> int:
    now = timezone.now()
    done = Notification.objects.filter(
        pk__in=[notice.pk for notice in notices], state=State.PENDING
    ).update(
        state=state,
        processed_at=now,
        claimed_until=None,
        integration=integration,
        error=clean_text(error, 300),
    )
    _log(
        "push.notification.settled",
        notices,
        integration,
        marketplace=notices[0].marketplace,
        state=str(state),
    )
    return done


def _postpone(
    notices: list[Notification],
    integration: Integration,
    *,
    error: str,
    retry_after: float | None,
) -> int:
    """The marketplace could not answer now: tried again after a backoff, failed after the
    last attempt."""
    now = timezone.now()
    for notice in notices:
        if notice.attempts >= conf.max_attempts():
            _finish([notice], State.FAILED, integration=integration, error=error)
            continue
        wait = retry_countdown(retries=notice.attempts - 1, retry_after=retry_after)
        Notification.objects.filter(pk=notice.pk, state=State.PENDING).update(
            claimed_until=now + timedelta(seconds=wait),
            integration=integration,
            error=clean_text(error, 300),
        )
    _log("push.notification.postponed", notices, integration)
    return len(notices)


def _log(event: str, notices: list[Notification], integration: Integration | None, **extra) -> None:
    """One line for the notifications of one order, whatever became of them."""
    logger.info(
        event,
        extra={
            "notification_ids": [notice.pk for notice in notices],
            "integration_id": integration.pk if integration else None,
            **extra,
        },
    )
