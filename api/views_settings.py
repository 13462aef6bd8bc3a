"""Configurações → API e webhooks: keys and endpoints (each secret shown once), the deliveries."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from api.forms import ApiKeyForm, WebhookEndpointForm
from api.models import ApiKey, WebhookDelivery, WebhookEndpoint
from api.services import endpoints as endpoint_services
from api.services.keys import api_key_create, api_key_revoke
from api.sources import seller_required

DELIVERIES_SHOWN = 30


def _page(request, *, status: int = 200, **context) -> HttpResponse:
    seller = request.seller
    deliveries = WebhookDelivery.objects.filter(seller=seller).select_related("endpoint")
    chosen = request.GET.get("webhook", "")
    if chosen.isdigit():
        deliveries = deliveries.filter(endpoint_id=int(chosen))
    context.setdefault("key_form", ApiKeyForm())
    context.setdefault("endpoint_form", WebhookEndpointForm())
    context.update(
        keys=ApiKey.objects.filter(seller=seller),
        endpoints=WebhookEndpoint.objects.filter(seller=seller),
        deliveries=deliveries.order_by("-created_at", "-pk")[:DELIVERIES_SHOWN],
    )
    return render(request, "api/settings.html", context, status=status)


@require_GET
@seller_required
def index(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@seller_required
def key_create(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, key_form=form)
    key, plaintext = api_key_create(
        seller=request.seller,
        user=request.user,
        name=form.cleaned_data["name"],
        scopes=form.cleaned_data["scopes"],
    )
    # Rendered, never redirected: the plaintext exists only in this response (no-store).
    return _page(request, new_key=key, new_key_plaintext=plaintext)


@require_POST
@seller_required
def endpoint_create(request: HttpRequest) -> HttpResponse:
    form = WebhookEndpointForm(request.POST)
    if not form.is_valid():
        return _page(request, status=400, endpoint_form=form)
    endpoint, secret = endpoint_services.endpoint_create(
        seller=request.seller,
        user=request.user,
        url=form.cleaned_data["url"],
        events=form.cleaned_data["events"],
        description=form.cleaned_data["description"],
    )
    # Rendered, never redirected: the signing secret exists only in this response (no-store).
    return _page(request, new_endpoint=endpoint, new_endpoint_secret=secret)


def _row_button(model, act, done: str):
    """The view behind a button on one row of the page: the seller's own row (404 for another
    seller's), the action on it, a confirmation (which may name the row: {row.name}), and back
    to the page."""

    @require_POST
    @seller_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        row = get_object_or_404(model, pk=pk, seller=request.seller)
        act(row)
        messages.success(request, done.format(row=row))
        return redirect("api_settings:index")

    return view


key_revoke = _row_button(
    ApiKey,
    lambda key: api_key_revoke(key=key),
    "Chave “{row.name}” revogada: ela não abre mais a API.",
)
endpoint_enable = _row_button(
    WebhookEndpoint,
    lambda endpoint: endpoint_services.endpoint_enable(endpoint=endpoint),
    "Webhook reativado: os avisos na fila serão enviados agora.",
)
endpoint_delete = _row_button(
    WebhookEndpoint,
    lambda endpoint: endpoint_services.endpoint_delete(endpoint=endpoint),
    "Webhook excluído.",
)
delivery_resend = _row_button(
    WebhookDelivery,
    lambda delivery: endpoint_services.delivery_resend(delivery=delivery),
    "Aviso colocado na fila para reenvio.",
)
