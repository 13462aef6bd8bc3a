"""What a stand-in pushes to the hub, and the switches of its sender.

Each marketplace that pushes describes its notifications in ``marketplaces/<key>/standin/push.py``
(a ``SENDER``): which accounts' feeds it advances, the body and headers of one delivery, its
retry schedule. The faults a real sender has (duplicates, reordering, loss, delay, retries, topics
switched off) are ``<KEY>_SANDBOX_PUSH_*`` settings, read at call time so a test sets them.
"""

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from marketplaces.sandbox.conf import StandInConf
from marketplaces.sandbox.models import SandboxOrderFeed, SandboxPushMessage
from marketplaces.sandbox.registry import MARKETPLACES_DIR, STAND_INS

# A delivery: (body, headers) for one attempt, given the message, the target URL and the moment.
Delivery = Callable[[SandboxPushMessage, str, datetime], tuple[bytes, dict[str, str]]]


@dataclass(frozen=True)
class PushSender:
    """One stand-in's notifications: its marketplace's words, the sandbox's machinery."""

    stand_in: StandInConf
    # Brings one account's orders up to a moment and returns its feed, locked until the caller's
    # transaction ends; None for an account whose orders it never reads.
    feed: Callable[[str, datetime], SandboxOrderFeed | None]
    # Whether an order taking this status is notified (a marketplace notifies some statuses only).
    notifies: Callable[[str], bool]
    delivery: Delivery
    # Seconds after each failed attempt before the next; exhausted, the notification is failed.
    retry_schedule: tuple[float, ...]
    # The accounts a grant family's account stands for (a main account's: its shops).
    covers: Callable[[str], Iterable[str]] = lambda account_id: (account_id,)
    # Failed attempts in a row after which the marketplace stops sending (0: never).
    disable_after_failures: int = 0
    # How long the marketplace waits for the acknowledgement before it counts a failure.
    timeout_seconds: float = 5.0

    @property
    def key(self) -> str:
        return self.stand_in.key

    def setting(self, name: str, default):
        return self.stand_in.setting(f"PUSH_{name}", default)

    def url(self) -> str:
        """The hub's endpoint for this marketplace (the callback registered at it)."""
        return self.setting("URL", f"{settings.SITE_URL}/push/{self.key}/")

    def share(self, name: str, default: float) -> float:
        return min(1.0, max(0.0, float(self.setting(name, default))))

    def duplicate_share(self) -> float:
        return self.share("DUPLICATE_SHARE", 0.05)

    def out_of_order_share(self) -> float:
        return self.share("OUT_OF_ORDER_SHARE", 0.05)

    def drop_share(self) -> float:
        return self.share("DROP_SHARE", 0.02)

    def delay_seconds(self) -> float:
        return max(0.0, float(self.setting("DELAY_SECONDS", 1.0)))

    def hold_max_seconds(self) -> float:
        """How long a notification held back waits for a later one before it goes alone."""
        return max(0.0, float(self.setting("HOLD_MAX_SECONDS", 120.0)))

    def retries(self) -> tuple[float, ...]:
        return tuple(float(s) for s in self.setting("RETRY_SCHEDULE", self.retry_schedule))

    def failures_before_disable(self) -> int:
        return int(self.setting("DISABLE_AFTER_FAILURES", self.disable_after_failures))

    def timeout(self) -> float:
        return float(self.setting("TIMEOUT_SECONDS", self.timeout_seconds))


def push_on() -> bool:
    """Whether the stand-ins push (development: yes; tests: only those that turn it on)."""
    return bool(getattr(settings, "SANDBOX_PUSH", True))


def interval_seconds() -> float:
    return float(getattr(settings, "SANDBOX_PUSH_INTERVAL_SECONDS", 5.0))


def retention_hours() -> float:
    """How long notifications are kept, and listed as missed when unacknowledged (about 2 days)."""
    return float(getattr(settings, "SANDBOX_PUSH_RETENTION_HOURS", 48.0))


def senders() -> dict[str, PushSender]:
    """Every stand-in that pushes, by marketplace key."""
    return {
        key: importlib.import_module(f"marketplaces.{key}.standin.push").SENDER
        for key in STAND_INS
        if (MARKETPLACES_DIR / key / "standin" / "push.py").is_file()
    }
