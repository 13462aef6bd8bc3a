"""API keys, webhook endpoints and the outbox of webhook deliveries, each owned by one seller."""

import hashlib
import uuid

from django.db import models

from hub.fields import acting_user_field, seller_field
from integrations.models import IntegrationEvent
from integrations.notices.models import Cause

Happened = IntegrationEvent.Kind


class Scope(models.TextChoices):
    INTEGRATIONS_READ = "integrations:read", "Ler integrações e histórico"
    ORDERS_READ = "orders:read", "Ler pedidos"
    WEBHOOKS_MANAGE = "webhooks:manage", "Ver webhooks e entregas"


class EventType(models.TextChoices):
    INTEGRATION_EXPIRED = "integration.expired", "Integração com token expirado"
    INTEGRATION_REACTIVATED = "integration.reactivated", Cause.RECONNECTED.label
    INTEGRATION_IMPORT_FAILING = "integration.import_failing", Happened.IMPORT_FAILING.label
    INTEGRATION_IMPORT_RECOVERED = "integration.import_recovered", "Importação normalizada"
    ORDERS_SILENT = "orders.silent", Happened.ORDERS_SILENT.label
    ORDERS_RESUMED = "orders.resumed", Happened.ORDERS_RESUMED.label
    ORDER_CREATED = "order.created", "Pedido novo"
    ORDER_UPDATED = "order.updated", "Pedido atualizado"


def secret_hash(value: str) -> str:
    """SHA-256 of a high-entropy secret: a fast hash is enough (no dictionary to try), and the
    look-up stays a single indexed read (as django-oauth-toolkit's token checksums)."""
    return hashlib.sha256(value.encode()).hexdigest()


class ApiKey(models.Model):
    """A seller's API key: ``hub_<prefix>_<secret>``; only the prefix and a hash are stored."""

    seller = seller_field(related_name="api_keys")
    name = models.CharField("nome", max_length=100)
    prefix = models.CharField("prefixo", max_length=16, unique=True, editable=False)
    hashed_key = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField("permissões", default=list)
    created_at = models.DateTimeField("criada em", auto_now_add=True)
    created_by = acting_user_field("criada por")
    last_used_at = models.DateTimeField("último uso", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("revogada em", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "chave de API"
        verbose_name_plural = "chaves de API"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} (hub_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def masked(self) -> str:
        return f"hub_{self.prefix}_…"

    def scope_labels(self) -> list[str]:
        return [Scope(scope).label for scope in self.scopes if scope in Scope.values]


class WebhookEndpoint(models.Model):
    """Where a seller's system wants to be told of changes, and the secret it verifies them by."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    seller = seller_field(related_name="webhook_endpoints")
    url = models.URLField("URL", max_length=500)
    description = models.CharField("descrição", max_length=200, blank=True, default="")
    events = models.JSONField("eventos", default=list)
    # The Standard Webhooks secret (``whsec_…``) must be read back to sign: stored encrypted.
    secret_ciphertext = models.TextField(editable=False)
    enabled = models.BooleanField("ativo", default=True)
    disabled_at = models.DateTimeField("desativado em", null=True, blank=True)
    disabled_reason = models.CharField("motivo", max_length=300, blank=True, default="")
    created_at = models.DateTimeField("criado em", auto_now_add=True)
    created_by = acting_user_field("criado por")

    class Meta:
        verbose_name = "webhook"
        verbose_name_plural = "webhooks"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        return [EventType(event).label for event in self.events if event in EventType.values]


class WebhookDelivery(models.Model):
    """One message to one endpoint: the outbox row, written in the transaction of the change, and
    its delivery log (attempts, last answer)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Na fila"
        DELIVERED = "delivered", "Entregue"
        FAILED = "failed", "Falhou"

    # The Standard Webhooks ``webhook-id``: the same on every attempt, so receivers dedupe.
    message_id = models.CharField("id da mensagem", max_length=40, unique=True)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name="webhook",
    )
    seller = seller_field()
    event_type = models.CharField("evento", max_length=40, choices=EventType.choices)
    payload = models.JSONField("conteúdo")
    created_at = models.DateTimeField("criada em", db_index=True)
    status = models.CharField(
        "situação", max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField("tentativas", default=0)
    # Due when pending; while a worker holds the delivery, the end of its lease.
    next_attempt_at = models.DateTimeField("próxima tentativa", null=True, blank=True)
    last_attempt_at = models.DateTimeField("última tentativa", null=True, blank=True)
    last_status_code = models.PositiveIntegerField("última resposta", null=True, blank=True)
    last_error = models.CharField("último erro", max_length=300, blank=True, default="")
    delivered_at = models.DateTimeField("entregue em", null=True, blank=True)

    class Meta:
        verbose_name = "entrega de webhook"
        verbose_name_plural = "entregas de webhook"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep and the workers: the few pending deliveries, by when they are due.
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due_idx",
                condition=models.Q(status="pending"),
            ),
            # The delivery log of a seller, newest first.
            models.Index(fields=["seller", "-created_at", "-id"], name="delivery_seller_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} · {self.message_id}"
