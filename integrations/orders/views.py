"""The seller's Pedidos page."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hub.tenancy import seller_required
from integrations import selectors as integration_selectors
from integrations.orders.forms import OrderFilterForm
from integrations.orders.selectors import orders_for_seller

PAGE_SIZE = 25


@require_GET
@seller_required
def orders_list(request: HttpRequest) -> HttpResponse:
    """Pedidos: the seller's orders from every marketplace, newest first, filtered and paged."""
    integrations = integration_selectors.integration_list_for_seller(seller=request.seller)
    form = OrderFilterForm(request.GET, integrations=integrations)
    if not form.is_valid():
        return render(
            request, "orders/list.html", {"form": form, "page": None, "filtered": True}, status=400
        )
    orders = orders_for_seller(seller=request.seller, filters=form.filters())
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "orders/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(form.cleaned_data.values()),
        },
    )
