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

import redis

from integrations.models import Integration
from integrations.push import conf
from integrations.push.models import Notification
from integrations.push.services.intake import notification_row
from integrations.push.services.pace import drain_soon
from integrations.services.access import AccessTokenUnavailable, get_access_token
from integrations.services.keeper_store import store
from marketplaces import PROVIDERS, AccessTokenRejected, Capability, get_provider, parser_for
from marketplaces.base.push import PushRejected

logger = logging.getLogger(__name__)

# A token refused by the API or unavailable: the next account is tried, at most this many.
ACCOUNTS_TRIED = 3
MISSED_FEED = Notification.Via.MISSED_FEED
# Where a marketplace's last run stopped in its feed, when it stopped before the end. Only a cache:
# lost, the next run reads from the feed's start again.
CURSOR_KEY = "push:missed-feed-cursor:{}"
CURSOR_TTL_SECONDS = 24 * 60 * 60


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
    ``NoAccountToRead``, and the provider's ``TemporarilyUnavailable``, for the caller to log.

    A run reads at most ``PUSH_MISSED_FEEDS_MAX_PAGES`` pages, from where the last run stopped:
    a backlog longer than that is worked through over several runs, not read from its start
    each time. The feed's oldest entries expire meanwhile and shift every offset back, so a run
    starts one page before where the last one stopped (a message read twice is kept once)."""
    reader = PROVIDERS[marketplace].missed_feed_reader(get_provider(marketplace))
    parser = parser_for(marketplace)
    pages = read = stored = rejected = 0
    cursor: int | None = max(0, _resume_at(marketplace) - reader.page_size)
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
        _stopped_at(marketplace, cursor or 0)  # the feed's end: the next run starts afresh
        result = MissedFeedResult(marketplace, pages, read, stored, rejected)
        if stored:
            drain_soon()  # the orders they point at are fetched now, not at beat's next drain
        logger.info("push.missed_feeds.read", extra=vars(result))
        return result
    raise NoAccountToRead(marketplace)


def missed_feed_cursor_key(marketplace: str) -> str:
    return CURSOR_KEY.format(marketplace)


def _resume_at(marketplace: str) -> int:
    """Where the marketplace's last run stopped (0: it read to the end, or it was forgotten)."""
    try:
        value = store.get(missed_feed_cursor_key(marketplace))
    except redis.RedisError:
        logger.warning("push.missed_feeds.cursor_unavailable")
        return 0
    return int(value) if value and value.isdigit() else 0


def _stopped_at(marketplace: str, cursor: int) -> None:
    try:
        if cursor:
            store.set(missed_feed_cursor_key(marketplace), str(cursor), ttl=CURSOR_TTL_SECONDS)
        else:
            store.delete(missed_feed_cursor_key(marketplace))
    except redis.RedisError:
        logger.warning("push.missed_feeds.cursor_unavailable")


def _accounts(marketplace: str) -> list[Integration]:
    """A few Ativo accounts of the marketplace, the longest-valid token first."""
    return list(
        Integration.objects.filter(
            marketplace=marketplace, status=Integration.Status.ACTIVE
        ).order_by("-access_token_expires_at", "pk")[:ACCOUNTS_TRIED]
    )


def _store(marketplace: str, parser, bodies: list[bytes]) -> tuple[int, int]:
    """Stores the page's messages not kept yet; returns (stored, rejected by the parser)."""
    rows, rejected = {}, 0
    for body in bodies:
        try:
            notice = parser.parse(body)
            row = notification_row(
                marketplace=marketplace, notice=notice, body=body, via=MISSED_FEED
            )
        except PushRejected:  # not a notification, or ids no marketplace gives
            rejected += 1
            continue
        rows[row.dedup_key] = row
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
