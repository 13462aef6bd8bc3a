from django.conf import settings

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
