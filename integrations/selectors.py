"""Reads for seller pages, the admin and the token keeper; every seller read is scoped."""

from django.shortcuts import get_object_or_404

from integrations.models import Integration


def integration_list_for_seller(*, seller) -> list[Integration]:
    """The Marketplaces page's rows in one query, whatever their number."""
    return list(Integration.objects.for_seller(seller).order_by("marketplace", "account_name"))


def integration_get_for_seller(*, seller, pk: int) -> Integration:
    """Another seller's integration is a 404, never a 403: its existence is not disclosed."""
    return get_object_or_404(Integration.objects.for_seller(seller), pk=pk)


def seller_has_expired_integrations(*, seller) -> bool:
    return Integration.objects.for_seller(seller).expired().exists()


def expired_integrations_for_seller(*, seller, marketplace: str) -> list[Integration]:
    return list(
        Integration.objects.for_seller(seller)
        .expired()
        .filter(marketplace=marketplace)
        .order_by("account_name")
    )


def integration_history_for_seller(*, seller, pk: int, limit: int = 50):
    """The integration (scoped: 404 for another seller's) and its newest events."""
    integration = integration_get_for_seller(seller=seller, pk=pk)
    events = list(integration.events.order_by("-created_at", "-id")[:limit])
    return integration, events
