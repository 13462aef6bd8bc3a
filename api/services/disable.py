"""Disabling an endpoint that kept failing, and telling the seller's users by e-mail."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from api.models import WebhookEndpoint
from api.sources import BrandedEmail, branded_message

logger = logging.getLogger(__name__)


def endpoint_disable(*, endpoint_id: int, reason: str) -> bool:
    """Disables once (True); the e-mail leaves after the commit."""
    with transaction.atomic():
        updated = WebhookEndpoint.objects.filter(pk=endpoint_id, enabled=True).update(
            enabled=False, disabled_at=timezone.now(), disabled_reason=reason
        )
        if updated:
            transaction.on_commit(lambda: _tell(endpoint_id), robust=True)
    if updated:
        logger.warning("api.webhooks.endpoint_disabled", extra={"endpoint_id": endpoint_id})
    return bool(updated)


def disabled_email(endpoint: WebhookEndpoint) -> BrandedEmail:
    host = urlsplit(endpoint.url).hostname or endpoint.url
    return BrandedEmail(
        subject=f"Webhook desativado: {host}",
        heading="Desativamos um webhook que não respondia",
        paragraphs=(
            f"O endereço {endpoint.url} não confirmou o recebimento dos avisos do hub por cerca "
            "de um dia, então paramos de enviar para ele.",
            f"Último erro: {endpoint.disabled_reason}",
            "Os avisos ainda na fila ficam guardados: quando o endereço voltar a funcionar, "
            "reative o webhook em Configurações → API e webhooks. O que falhou pode ser reenviado "
            "no registro de entregas.",
        ),
        action_label="Abrir API e webhooks",
        action_url=f"{settings.SITE_URL}{reverse('api_settings:index')}",
    )


def _tell(endpoint_id: int) -> None:
    endpoint = WebhookEndpoint.objects.get(pk=endpoint_id)
    users = (
        get_user_model()
        .objects.filter(membership__seller=endpoint.seller_id, is_active=True)
        .exclude(email="")
    )
    addresses = sorted(user.email for user in users)
    if addresses:
        branded_message(disabled_email(endpoint), to=addresses).send()
