"""What every seller page's frame shows: the company, the reactivation banner, the bell."""

from functools import cache

from hub.tenancy import seller_of
from integrations.notices.selectors import notices_unread_count
from integrations.selectors import seller_has_expired_integrations


def seller(request) -> dict:
    """The current seller, whether any of its integrations needs reactivation (the banner) and
    the user's unread notices (the bell)."""
    user = getattr(request, "user", None)
    current = getattr(request, "seller", None) or seller_of(user)
    if current is None:
        return {}
    return {
        "current_seller": current,
        "has_expired_integrations": seller_has_expired_integrations(seller=current),
        # A template calls it when it renders the bell: one indexed COUNT, at most once a page.
        "unread_notices": cache(lambda: notices_unread_count(user=user)),
    }
