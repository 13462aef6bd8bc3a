from django.conf import settings

from hub.tenancy import seller_of

# The pages the top bar's "Configurações" stands for, besides the integrations app's.
_SETTINGS_PAGES = {"settings", "password_change", "password_change_done"}


def site(request) -> dict:
    """The footer's support link and which top-bar section the page belongs to."""
    match = getattr(request, "resolver_match", None)
    section = ""
    if match is not None:
        if match.app_name == "orders":
            section = "orders"
        elif match.app_name == "integrations" or match.url_name in _SETTINGS_PAGES:
            section = "settings"
    return {"support_url": settings.SUPPORT_URL, "nav_section": section}


def seller(request) -> dict:
    """The current seller and whether any of its integrations needs reactivation (the banner)."""
    current = getattr(request, "seller", None) or seller_of(getattr(request, "user", None))
    if current is None:
        return {}
    from integrations.selectors import seller_has_expired_integrations

    return {
        "current_seller": current,
        "has_expired_integrations": seller_has_expired_integrations(seller=current),
    }
