"""Telling a seller's users that an integration needs them (e-mail, sent after commit)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from integrations.models import Integration
from integrations.providers import PROVIDERS

logger = logging.getLogger(__name__)


def reactivation_url(integration: Integration) -> str:
    """Absolute link to the reactivation page for this integration, built from SITE_URL."""
    path = reverse("integrations:reactivate_confirm", args=[integration.marketplace])
    return f"{settings.SITE_URL}{path}?integracao={integration.pk}"


def notify_import_failing(*, integration: Integration, since, reason: str) -> None:
    """E-mails the seller's users that the orders imports keep failing; after the commit."""
    context = {"since": since, "reason": reason}
    transaction.on_commit(
        lambda: _send(integration.pk, "integrations/email/import_failing.txt", context),
        robust=True,
    )


def notify_import_recovered(*, integration: Integration, since) -> None:
    """E-mails the seller's users that the orders imports work again; after the commit."""
    context = {"since": since}
    transaction.on_commit(
        lambda: _send(integration.pk, "integrations/email/import_recovered.txt", context),
        robust=True,
    )


def _send(integration_id: int, template: str, extra: dict) -> None:
    integration = Integration.objects.select_related("seller").get(pk=integration_id)
    recipients = _recipients(integration)
    if not recipients:
        return
    context = {"integration": integration, "url": _marketplaces_url(), **extra}
    subject, _, body = render_to_string(template, context).partition("\n")
    send_mail(subject=subject.strip(), message=body.lstrip(), from_email=None,
              recipient_list=recipients)  # fmt: skip


def _marketplaces_url() -> str:
    return f"{settings.SITE_URL}{reverse('integrations:marketplaces')}"


def _recipients(integration: Integration) -> list[str]:
    return list(
        get_user_model()
        .objects.filter(membership__seller=integration.seller_id, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def notify_reactivation_needed(*, integration: Integration, reason: str) -> None:
    """E-mails the seller's active users a link to reactivate; deferred until the commit."""
    # robust: a mail server outage is logged, it never fails the change that was just committed.
    transaction.on_commit(lambda: _send_reactivation_email(integration.pk, reason), robust=True)


def _send_reactivation_email(integration_id: int, reason: str) -> None:
    integration = Integration.objects.select_related("seller").get(pk=integration_id)
    recipients = _recipients(integration)
    if not recipients:
        logger.warning(
            "integrations.notify.no_recipients", extra={"integration_id": integration_id}
        )
        return
    context = {
        "integration": integration,
        "provider": PROVIDERS.get(integration.marketplace),
        "reason": reason,
        "url": reactivation_url(integration),
    }
    send_mail(
        subject=f"Token expirado: {integration.marketplace_name} · {integration.account_name}",
        message=render_to_string("integrations/email/reactivation_needed.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
    logger.info(
        "integrations.notify.reactivation_sent",
        extra={"integration_id": integration_id, "recipients": len(recipients)},
    )
