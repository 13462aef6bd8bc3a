"""When an Ativo integration's token is due for renewal: one rule, read by the refresh itself
(``is_due``), by its one-statement lease (``due_cutoff`` per marketplace, in SQL) and by the sweep
(``window_of``). An Ativo integration always knows its token's expiry (a database constraint;
a grant without ``expires_in`` is refused), so the rule has no other case."""

from datetime import datetime, timedelta

from integrations import conf
from integrations.models import Integration
from marketplaces import PROVIDERS


def window_of(marketplace: str) -> timedelta:
    """The marketplace's refresh window (a fraction of its access token's lifetime); the
    shortest one's for a marketplace no longer registered."""
    cls = PROVIDERS.get(marketplace)
    lifetimes = (
        [cls.access_token_lifetime]
        if cls
        else [p.access_token_lifetime for p in PROVIDERS.values()]
    )
    return conf.refresh_window(min(lifetimes))


def due_cutoff(marketplace: str, *, now: datetime) -> datetime:
    """Tokens of this marketplace expiring at or before this moment are due."""
    return now + window_of(marketplace)


def is_due(integration: Integration, *, now: datetime) -> bool:
    return integration.access_token_expires_at <= due_cutoff(integration.marketplace, now=now)
