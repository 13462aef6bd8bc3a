"""What a marketplace's notification (push) parser answers: Django-free, like the providers.

A marketplace that pushes declares ``Capability.PUSH`` and a ``push_parser`` class on its
provider. The hub's endpoint hands the parser the raw request (its URL, headers and body); the
parser checks what the marketplace lets us check (a signature, the shape) and names what the
notification points at. The body is a hint, never the truth: the hub fetches the resource with the
account's own token before it stores anything of it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from ipaddress import ip_address, ip_network
from typing import TYPE_CHECKING, ClassVar

from marketplaces.base.responses import parse_time

if TYPE_CHECKING:
    from marketplaces.base.oauth2 import StandardOAuth2Provider


class NoticeKind(StrEnum):
    """What the hub does with a notification it accepted."""

    ORDER = "order"  # an order was created or changed: fetch it and store it
    IGNORED = "ignored"  # a topic the marketplace documents that the hub does not read (yet)
    UNKNOWN = "unknown"  # a topic nobody documented: kept for support, acknowledged


@dataclass(frozen=True)
class PushNotice:
    """One notification, as its marketplace's parser reads it."""

    kind: NoticeKind
    topic: str  # the marketplace's own word for it ("orders_v2", "3")
    account_id: str  # the marketplace's account (a user id, a shop id, a tenant)
    resource_id: str  # the order's id on the marketplace; "" when the notice names none
    # What identifies this notification among its retries and duplicates: the same event sent
    # twice has the same key; two events of one order have different keys.
    dedup_key: str
    sent_at: datetime | None = None


class PushRejected(Exception):
    """The request is not a notification the hub accepts: answered with ``status`` (a 4xx),
    stored nowhere. ``message`` is pt-BR, for the sender's logs and for support."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


class PushParser:
    """Reads one marketplace's notifications. Subclasses implement ``parse``; ``verify`` checks
    what the marketplace documents (a signature over the body, say) and by default accepts."""

    # Topics the marketplace documents, for support's screens: {topic: what it means, in pt-BR}.
    topics: ClassVar[Mapping[str, str]] = {}
    # What the marketplace expects back on success (Shopee: an empty body).
    success_status: ClassVar[int] = 200

    def __init__(self, provider: StandardOAuth2Provider):
        self.provider = provider

    def check_source(self, address: str) -> None:
        """Raises ``PushRejected`` (403) when the provider's ``push_sources`` (CIDRs) are set and
        ``address`` (the peer the hub's endpoint saw) is in none of them."""
        sources = self.provider.config.push_sources
        if not sources:
            return
        try:
            peer = ip_address(str(address).strip())
        except ValueError:
            raise PushRejected("Endereço de origem inválido.", status=403) from None
        # A dual-stack listener sees an IPv4 peer as ::ffff:a.b.c.d (RFC 4291 §2.5.5.2).
        peer = getattr(peer, "ipv4_mapped", None) or peer
        if not any(peer in ip_network(source) for source in sources):
            raise PushRejected("Origem não autorizada a enviar notificações.", status=403)

    def verify(self, *, url: str, headers: Mapping[str, str], body: bytes) -> None:
        """Raises ``PushRejected`` (401) when the request is not signed as documented."""

    def parse(self, body: bytes) -> PushNotice:
        """The notice in ``body``; raises ``PushRejected`` (400) when it is not one."""
        raise NotImplementedError


# No marketplace's notification comes near this: a larger body is not one.
MAX_BODY_BYTES = 64 * 1024


def json_object(body: bytes) -> dict:
    """The JSON object in ``body``; ``PushRejected`` (400) for anything else."""
    if not isinstance(body, bytes | bytearray) or len(body) > MAX_BODY_BYTES:
        raise PushRejected("Corpo ausente ou grande demais para uma notificação.")
    try:
        value = json.loads(bytes(body).decode("utf-8"))
    except (ValueError, RecursionError):  # undecodable bytes, bad JSON, absurd nesting
        raise PushRejected("O corpo da notificação não é JSON válido.") from None
    if not isinstance(value, dict):
        raise PushRejected("O corpo da notificação não é um objeto JSON.")
    return value


# Ids are positive numbers well below this (user, shop and application ids; Unix seconds).
MAX_NUMBER = 10**19


def text_field(holder: dict, name: str, *, limit: int = 200) -> str:
    """A required non-blank string member (stripped); ``PushRejected`` (400) otherwise."""
    value = holder.get(name)
    if not isinstance(value, str) or not 0 < len(value.strip()) <= limit:
        raise PushRejected(f"Campo “{name}” ausente ou inválido na notificação.")
    return value.strip()


def int_field(holder: dict, name: str, *, required: bool = False, least: int = 0) -> int | None:
    """An integer member (never a bool) from ``least`` up; None when absent and not required;
    ``PushRejected`` (400) otherwise."""
    value = holder.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value < MAX_NUMBER:
        raise PushRejected(f"Campo “{name}” ausente ou inválido na notificação.")
    return value


def event_key(*parts: object) -> str:
    """A dedup key (64 hex characters) from the parts that identify one event."""
    joined = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def parse_sent_at(value: object) -> datetime | None:
    """An aware datetime from an ISO 8601 string (naive: UTC) of at most 40 characters, or None."""
    if isinstance(value, str) and len(value) > 40:
        return None
    return parse_time(value)
