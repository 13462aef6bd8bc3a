"""What a marketplace that keeps the notifications it could not deliver answers: Django-free.

A provider with such a feed declares a ``missed_feed_reader`` class. The hub reads it with an
access token of one of the application's accounts, hands each message to the marketplace's own
push parser (so a message read back has the same dedup key as its pushed copy) and stores it as
a notification like any other.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from marketplaces.base.oauth2 import StandardOAuth2Provider


@dataclass(frozen=True)
class MissedPage:
    # Each message as the marketplace would have posted it to the hub: the push parser's input.
    bodies: list[bytes]
    next_cursor: int | None  # the next page's offset; None: this was the last
    skipped: int = 0  # entries that were not messages


class MissedFeedReader(ABC):
    """Reads one page of the application's missed notifications of the topics the hub reads."""

    page_size: ClassVar[int]

    def __init__(self, provider: StandardOAuth2Provider):
        self.provider = provider

    @abstractmethod
    def read_page(self, *, access_token: str, cursor: int) -> MissedPage: ...
