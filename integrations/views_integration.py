"""Pages about the seller's integrations as a whole and one integration: Configurações →
Integrações, an integration's history, disconnecting it."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from hub.request_values import bad_request, single_value
from hub.tenancy import seller_required
from integrations import selectors
from integrations.account_health import health_of
from integrations.history import FILTERS, FILTERS_BY_SLUG, seller_entries
from integrations.models import Integration
from integrations.orders import selectors as order_selectors
from integrations.services.lifecycle import (
    integration_disconnect_by_seller,
    integration_remove_from_list,
)

HISTORY_PAGE_SIZE = 25
# The value of the confirmation form's button: a POST without it (a stray form, a replayed
# request) disconnects nothing.
DISCONNECT_CONFIRMATION = "sim"


@require_GET
@seller_required
def index(request: HttpRequest) -> HttpResponse:
    """Configurações → Integrações: the kinds of integration the hub offers, with their state."""
    counts = selectors.status_counts_for_seller(seller=request.seller)
    return render(
        request,
        "integrations/index.html",
        {
            "active": counts[Integration.Status.ACTIVE],
            "expired": counts[Integration.Status.EXPIRED],
        },
    )


@require_GET
@seller_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """An integration's history, newest first, a page at a time, filtered by what it is about."""
    given = request.GET.getlist("tipo") or [""]
    chosen = FILTERS_BY_SLUG.get(given[0].strip().lower()) if len(given) == 1 else None
    if chosen is None:
        return bad_request(request, "Esse filtro do histórico não existe. Escolha um da lista.")
    integration, events = selectors.integration_history_for_seller(
        seller=request.seller, pk=pk, kinds=chosen.kinds
    )
    pulse = order_selectors.pulses_for(integration_ids=[integration.pk]).get(integration.pk)
    # get_page turns a missing, non-numeric or too large page number into the nearest page.
    page = Paginator(events, HISTORY_PAGE_SIZE).get_page(single_value(request.GET, "pagina"))
    return render(
        request,
        "integrations/history.html",
        {
            "integration": integration,
            "health": health_of(integration, pulse),
            "page": page,
            "entries": seller_entries(page.object_list, viewer=request.user),
            "filters": FILTERS,
            "chosen": chosen,
        },
    )


@require_http_methods(["GET", "POST"])
@seller_required
def disconnect(request: HttpRequest, pk: int) -> HttpResponse:
    """Asks first (GET), then erases the integration's tokens and keeps its history (POST)."""
    integration = selectors.integration_get_for_seller(seller=request.seller, pk=pk)
    if request.method == "GET":
        return render(request, "integrations/disconnect_confirm.html", {"integration": integration})
    if single_value(request.POST, "confirmar") != DISCONNECT_CONFIRMATION:
        return bad_request(request, "Confirme que deseja desconectar esta integração.")
    if integration_disconnect_by_seller(integration_id=integration.pk, actor=request.user):
        messages.success(
            request,
            f"Integração “{integration.account_name}” desconectada. Os tokens foram apagados.",
        )
    else:
        messages.info(request, f"A integração “{integration.account_name}” já estava desconectada.")
    return redirect("integrations:marketplaces")


@require_http_methods(["POST"])
@seller_required
def remove_from_list(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Remover da lista": a disconnected integration leaves the seller's list; its history
    stays for support, and connecting the same account again brings it back."""
    integration = selectors.integration_get_for_seller(seller=request.seller, pk=pk)
    if not integration_remove_from_list(integration_id=integration.pk, actor=request.user):
        return bad_request(
            request, "Só uma integração desconectada pode ser removida da lista. Nada mudou."
        )
    messages.success(
        request,
        f"“{integration.account_name}” ({integration.marketplace_name}) saiu da lista. Para "
        "voltar a usar esta conta, conecte-a de novo.",
    )
    return redirect("integrations:marketplaces")
