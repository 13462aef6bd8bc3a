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


def _create_form(form_class, form_name: str, create, shown: tuple[str, str]):
    """The view behind one of the page's forms that create a row with a secret. The form's
    fields are the service's arguments; errors render the form again, open (400); the new row
    and its secret are rendered under the names in ``shown``."""

    @require_POST
    @seller_required
    def view(request: HttpRequest) -> HttpResponse:
        form = form_class(request.POST)
        if not form.is_valid():
            return _page(request, status=400, **{form_name: form})
        row, secret = create(seller=request.seller, user=request.user, **form.cleaned_data)
        # Rendered, never redirected: the secret exists only in this response (no-store).
        row_name, secret_name = shown
        return _page(request, **{row_name: row, secret_name: secret})

    return view


key_create = _create_form(
    ApiKeyForm, "key_form", api_key_create, shown=("new_key", "new_key_plaintext")
)
endpoint_create = _create_form(
    WebhookEndpointForm,
    "endpoint_form",
    endpoint_services.endpoint_create,
    shown=("new_endpoint", "new_endpoint_secret"),
)


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
