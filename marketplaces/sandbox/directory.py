"""What the stand-ins' demo directories share: the published demo password and the
constant-time comparison their sign-ins use."""

import hmac

DEMO_PASSWORD = "demo12345"  # noqa: S105 - a published demo credential, not a secret


def matches(given, expected: str) -> bool:
    """``given`` (a form value, maybe missing) equals ``expected``, compared in constant time."""
    return hmac.compare_digest(str(given or "").encode(), expected.encode())
