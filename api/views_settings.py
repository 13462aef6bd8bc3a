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
        return _page(request, key_form=form, status=400)
    key, plaintext = api_key_create(
        seller=request.seller,
        name=form.cleaned_data["name"],
        scopes=form.cleaned_data["scopes"],
        user=request.user,
    )
    # Rendered, never redirected: the key exists only in this response (Cache-Control: no-store).
    return _page(request, new_key=key, new_key_plaintext=plaintext)


@require_POST
@seller_required
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk, seller=request.seller)
    api_key_revoke(key=key)
    messages.success(request, f"Chave “{key.name}” revogada: ela não abre mais a API.")
    return redirect("api_settings:index")


@require_POST
@seller_required
def endpoint_create(request: HttpRequest) -> HttpResponse:
    form = WebhookEndpointForm(request.POST)
    if not form.is_valid():
        return _page(request, endpoint_form=form, status=400)
    endpoint, secret = endpoint_services.endpoint_create(
        seller=request.seller,
        url=form.cleaned_data["url"],
        events=form.cleaned_data["events"],
        description=form.cleaned_data["description"],
        user=request.user,
    )
    return _page(request, new_endpoint=endpoint, new_endpoint_secret=secret)


@require_POST
@seller_required
def endpoint_enable(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk, seller=request.seller)
    endpoint_services.endpoint_enable(endpoint=endpoint)
    messages.success(request, "Webhook reativado: os avisos na fila serão enviados agora.")
    return redirect("api_settings:index")


@require_POST
@seller_required
def endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=pk, seller=request.seller)
    endpoint_services.endpoint_delete(endpoint=endpoint)
    messages.success(request, "Webhook excluído.")
    return redirect("api_settings:index")


@require_POST
@seller_required
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=pk, seller=request.seller)
    endpoint_services.delivery_resend(delivery=delivery)
    messages.success(request, "Aviso colocado na fila para reenvio.")
    return redirect("api_settings:index")
