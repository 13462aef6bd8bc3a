"""Reading back what a marketplace could not deliver (its missed feed) as notifications.

For each marketplace whose provider declares a ``missed_feed_reader``: the feed is read with an
access token of one of its Ativo accounts, each message goes through the marketplace's own push
parser (so its dedup key is the one its pushed copy has, or would have had) and is stored as a
``Notification`` with ``via=missed_feed``; one already kept, pushed or read back before, is left
as it is. The drain then processes them like any other, and an order first seen this way arrives
``missed_feed``.
"""

import logging
from dataclasses import dataclass

from django.utils import timezone

from hub.text import clean_text
from integrations.models import Integration
from integrations.push import audit_conf as conf
from integrations.push.models import Notification
from integrations.services.access import AccessTokenUnavailable, get_access_token
from marketplaces import PROVIDERS, AccessTokenRejected, Capability, get_provider
from marketplaces.base.push import NoticeKind, PushRejected

logger = logging.getLogger(__name__)

# A token refused by the API or unavailable: the next account is tried, at most this many.
ACCOUNTS_TRIED = 3
_STATE_OF = {
    NoticeKind.ORDER: Notification.State.PENDING,
    NoticeKind.IGNORED: Notification.State.IGNORED,
    NoticeKind.UNKNOWN: Notification.State.UNKNOWN_TOPIC,
}


class NoAccountToRead(Exception):
    """No Ativo account of the marketplace gave a token the feed accepted."""


@dataclass(frozen=True)
class MissedFeedResult:
    marketplace: str
    pages: int = 0
    read: int = 0
    stored: int = 0
    rejected: int = 0


def marketplaces_with_missed_feeds() -> list[str]:
    return [
        key
        for key, cls in PROVIDERS.items()
        if Capability.PUSH in cls.capabilities and cls.missed_feed_reader and cls.push_parser
    ]


def missed_feed_read(*, marketplace: str) -> MissedFeedResult:
    """Reads the marketplace's missed feed and stores what the hub had not kept. Raises
    ``NoAccountToRead``, and the provider's ``TemporarilyUnavailable``, for the caller to log."""
    cls = PROVIDERS[marketplace]
    provider = get_provider(marketplace)
    reader, parser = cls.missed_feed_reader(provider), cls.push_parser(provider)
    pages = read = stored = rejected = 0
    cursor: int | None = 0
    for integration in _accounts(marketplace):
        try:
            token = get_access_token(integration)
            while cursor is not None and pages < conf.missed_feeds_max_pages():
                page = reader.read_page(access_token=token, cursor=cursor)
                pages, read = pages + 1, read + len(page.bodies)
                kept, refused = _store(marketplace, parser, page.bodies)
                stored, rejected = stored + kept, rejected + refused + page.skipped
                cursor = page.next_cursor
        except (AccessTokenUnavailable, AccessTokenRejected) as exc:
            logger.warning(
                "push.missed_feeds.account_skipped",
                extra={"integration_id": integration.pk, "error": type(exc).__name__},
            )
            continue
        result = MissedFeedResult(marketplace, pages, read, stored, rejected)
        logger.info("push.missed_feeds.read", extra=vars(result))
        return result
    raise NoAccountToRead(marketplace)


def _accounts(marketplace: str) -> list[Integration]:
    """A few Ativo accounts of the marketplace, the longest-valid token first."""
    return list(
        Integration.objects.filter(
            marketplace=marketplace, status=Integration.Status.ACTIVE
        ).order_by("-access_token_expires_at", "pk")[:ACCOUNTS_TRIED]
    )


def _store(marketplace: str, parser, bodies: list[bytes]) -> tuple[int, int]:
    """Stores the page's messages not kept yet; returns (stored, rejected by the parser)."""
    now, rows, rejected = timezone.now(), {}, 0
    for body in bodies:
        try:
            notice = parser.parse(body)
        except PushRejected:
            rejected += 1
            continue
        if not notice.dedup_key or len(notice.dedup_key) > 128:
            rejected += 1
            continue
        rows[notice.dedup_key] = Notification(
            marketplace=marketplace,
            dedup_key=notice.dedup_key,
            via=Notification.Via.MISSED_FEED,
            topic=clean_text(notice.topic, 64),
            account_id=clean_text(notice.account_id, 64),
            resource_id=clean_text(notice.resource_id, 64),
            body=body.decode("utf-8", errors="replace").replace("\x00", "\ufffd"),
            sent_at=notice.sent_at,
            received_at=now,
            state=_STATE_OF.get(notice.kind, Notification.State.UNKNOWN_TOPIC),
        )
    if not rows:
        return 0, rejected
    kept = set(
        Notification.objects.filter(marketplace=marketplace, dedup_key__in=list(rows)).values_list(
            "dedup_key", flat=True
        )
    )
    new = [row for key, row in rows.items() if key not in kept]
    # A copy pushed between the look-up and the insert is left alone (the unique constraint).
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    return len(new), rejected
