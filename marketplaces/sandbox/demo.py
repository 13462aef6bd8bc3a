"""What a stand-in offers the demo: its accounts, each with a token pair the stand-in issued
(an Ativo integration) or the reason its grant died (a Token Expirado one). The hub makes the
integrations (``integrations.demo``); nothing here touches the hub's rows."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DemoAccount:
    marketplace: str
    account_id: str
    name: str
    document: str
    token_body: dict | None = None  # the stand-in's token response: an Ativo integration
    expiry_reason: str = ""  # else: Token Expirado, for this reason
    # When the seller's authorization itself ends, for a marketplace whose authorizations do.
    authorization_ends: datetime | None = None
