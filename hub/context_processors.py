from functools import cache

from django.conf import settings

from hub.tenancy import seller_of

# The pages the top bar's "Configurações" stands for, besides the integrations app's.
_SETTINGS_PAGES = {"settings", "password_change", "password_change_done", "preferences"}


def site(request) -> dict:
    """The footer's support link and which top-bar section the page belongs to."""
    match = getattr(request, "resolver_match", None)
    section = ""
    if match is not None:
        if match.app_name == "orders":
            section = "orders"
        elif match.view_name in {"notices:list", "notices:open"}:
            section = "notices"
        elif match.app_name == "integrations" or match.url_name in _SETTINGS_PAGES:
            section = "settings"
    return {"support_url": settings.SUPPORT_URL, "nav_section": section}


def seller(request) -> dict:
    """The current seller, whether any of its integrations needs reactivation (the banner) and
    the user's unread notices (the bell)."""
    user = getattr(request, "user", None)
    current = getattr(request, "seller", None) or seller_of(user)
    if current is None:
        return {}
    from integrations.notices.selectors import notices_unread_count
    from integrations.selectors import seller_has_expired_integrations

    return {
        "current_seller": current,
        "has_expired_integrations": seller_has_expired_integrations(seller=current),
        # A template calls it when it renders the bell: one indexed COUNT, at most once a page.
        "unread_notices": cache(lambda: notices_unread_count(user=user)),
    }
