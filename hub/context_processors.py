from hub.tenancy import seller_of


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
