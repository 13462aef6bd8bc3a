"""What the marketplaces push, kept raw and durably before it is acknowledged, and the orders
the audit found that no notification announced."""

from django.db import models
from django.db.models.functions import Now

from integrations.fields import integration_field
from integrations.orders.models import Order

Arrival = Order.Arrival


class Notification(models.Model):
    """One notification as received: the evidence, whatever becomes of it.

    Stored by the endpoint in one statement before it answers 2xx, deduplicated on
    (marketplace, dedup_key); a worker then fetches what it points at with the account's token.
    """

    class Via(models.TextChoices):
        """How it reached the hub: the order it brings arrives the same way (``Order.Arrival``)."""

        PUSH = Arrival.PUSH.value, Arrival.PUSH.label
        MISSED_FEED = Arrival.MISSED_FEED.value, Arrival.MISSED_FEED.label

    class State(models.TextChoices):
        PENDING = "pending", "Aguardando processamento"
        DONE = "done", "Processada"
        IGNORED = "ignored", "Tópico não lido pelo hub"
        UNKNOWN_TOPIC = "unknown_topic", "Tópico desconhecido"
        UNKNOWN_ACCOUNT = "unknown_account", "Conta não conectada ao hub"
        NOT_FOUND = "not_found", "Pedido não encontrado nesta conta"
        INACTIVE = "inactive", "Integração sem token válido"
        FAILED = "failed", "Falhou (o suporte verifica)"

    marketplace = models.CharField("marketplace", max_length=32)
    dedup_key = models.CharField("identificação", max_length=128)
    via = models.CharField("origem", max_length=16, choices=Via.choices, default=Via.PUSH)
    topic = models.CharField("tópico", max_length=64, blank=True)
    account_id = models.CharField("conta no marketplace", max_length=64, blank=True)
    resource_id = models.CharField("recurso", max_length=64, blank=True)
    body = models.TextField("corpo recebido", blank=True)
    source = models.CharField("origem da requisição", max_length=64, blank=True)
    sent_at = models.DateTimeField("enviada em", null=True, blank=True)
    received_at = models.DateTimeField("recebida em", db_default=Now())
    state = models.CharField(
        "situação", max_length=16, choices=State.choices, default=State.PENDING
    )
    # Set when a worker takes it; a worker killed mid-way leaves it for the next after this.
    claimed_until = models.DateTimeField("em processamento até", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentativas", default=0)
    processed_at = models.DateTimeField("processada em", null=True, blank=True)
    error = models.CharField("erro", max_length=300, blank=True)
    integration = integration_field(evidence=True)

    class Meta:
        verbose_name = "notificação recebida"
        verbose_name_plural = "notificações recebidas"
        ordering = ["-received_at", "-id"]
        # "Reprocessar" in the admin; the "Suporte" group holds it.
        permissions = [("can_reprocess_notification", "Pode reprocessar notificações")]
        constraints = [
            models.UniqueConstraint(
                fields=["marketplace", "dedup_key"], name="push_notification_once"
            )
        ]
        indexes = [
            # The worker's queue: the few pending, oldest first.
            models.Index(
                fields=["received_at"],
                name="push_pending_idx",
                condition=models.Q(state="pending"),
            ),
            # Push health per marketplace: the last notification and the rate.
            models.Index(fields=["marketplace", "-received_at"], name="push_recent_idx"),
            # Whether an order was announced (the audit's gap check).
            models.Index(fields=["marketplace", "resource_id"], name="push_resource_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.marketplace} {self.topic} {self.resource_id or self.dedup_key}"


class PushGap(models.Model):
    """An order the audit poll found that no notification had announced."""

    integration = integration_field()
    marketplace = models.CharField("marketplace", max_length=32)
    marketplace_order_id = models.CharField("pedido no marketplace", max_length=64)
    found_at = models.DateTimeField("encontrado em", db_default=Now())

    class Meta:
        verbose_name = "pedido não notificado"
        verbose_name_plural = "pedidos não notificados"
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "marketplace_order_id"], name="push_gap_once"
            )
        ]
        indexes = [models.Index(fields=["marketplace", "-found_at"], name="push_gap_recent_idx")]

    def __str__(self) -> str:
        return f"{self.marketplace} {self.marketplace_order_id}"
