"""How long to wait before trying a marketplace again: the keeper's backoff, shared by every
task and service that retries a call the marketplace could not answer now."""

import random

from integrations import conf


def retry_countdown(*, retries: int, retry_after: float | None) -> float:
    """Exponential backoff with jitter, and never sooner than the server's Retry-After.

    RFC 9110 §10.2.3 (Retry-After) and RFC 6585 §4 (429).
    """
    backoff = min(conf.backoff_cap_seconds(), conf.backoff_base_seconds() * 2**retries)
    countdown = random.uniform(backoff / 2, backoff)  # noqa: S311 (jitter, not a secret)
    if retry_after is not None:
        countdown = max(countdown, min(retry_after, conf.retry_after_cap_seconds()))
    return countdown
