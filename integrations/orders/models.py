"""What the hub keeps of a marketplace order (LGPD: only what it shows and what silence needs,
never buyer data), and each integration's import and silence state."""

from django.db import models

from hub.fields import seller_field, set_rows_index
from integrations.fields import integration_field
from integrations.sync.models import SyncState


class Order(models.Model):
    """One marketplace order of one integration. No buyer name, document, address or phone."""

    class Status(models.TextChoices):
        PENDING = "pending", "Aguardando pagamento"
        PAID = "paid", "Pago"
        INVOICED = "invoiced", "Faturado"
        SHIPPED = "shipped", "Enviado"
        DELIVERED = "delivered", "Entregue"
        CANCELLED = "cancelled", "Cancelado"
        OTHER = "other", "Outro"

    integration = integration_field(related_name="orders")
    # The integration's seller, kept on the row: every seller page filters and sorts by it.
    seller = seller_field()
    marketplace = models.CharField("marketplace", max_length=32)
    marketplace_order_id = models.CharField("id no marketplace", max_length=64)
    code = models.CharField("número do pedido", max_length=64, blank=True)
    status = models.CharField("status", max_length=16, choices=Status.choices)
    status_raw = models.CharField("status no marketplace", max_length=64, blank=True)
    total = models.DecimalField("total", max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField("moeda", max_length=3, blank=True)
    created_at = models.DateTimeField("criado em")  # as the marketplace says
    updated_at = models.DateTimeField("atualizado em")
    imported_at = models.DateTimeField("importado em", auto_now=True)

    class Arrival(models.TextChoices):
        """How the hub first learnt of the order (written once, on insert)."""

        PUSH = "push", "Notificação"
        MISSED_FEED = "missed_feed", "Notificação perdida (recuperada)"
        AUDIT = "audit", "Auditoria (não notificado)"
        IMPORT = "import", "Importação"

    arrived_via = models.CharField(
        "chegou por", max_length=16, choices=Arrival.choices, default=Arrival.IMPORT
    )
    arrived_at = models.DateTimeField("chegou em", null=True, blank=True)

    class Meta:
        verbose_name = "pedido"
        verbose_name_plural = "pedidos"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "marketplace_order_id"], name="order_one_per_integration"
            )
        ]
        indexes = [
            # The Pedidos page: a seller's orders, newest first (and its status filter).
            models.Index(fields=["seller", "-created_at", "-id"], name="order_seller_recent_idx"),
            # The last order of an integration, and its recent history for the silence detector.
            models.Index(
                fields=["integration", "-created_at"], name="order_integration_recent_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code or self.marketplace_order_id} ({self.get_status_display()})"


class OrderPulse(SyncState):
    """Per integration: where the next import resumes and how it went (``SyncState``), and
    whether the account has gone quiet."""

    integration = models.OneToOneField(
        "integrations.Integration",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="order_pulse",
        verbose_name="integração",
    )
    # New orders (created after the newest one known before) the last successful import brought.
    last_import_new_orders = models.PositiveIntegerField(
        "pedidos novos na última importação", default=0
    )
    last_order_at = models.DateTimeField("último pedido", null=True, blank=True)
    # Learnt from the integration's own history; null until there is enough of it to judge.
    usual_gap_seconds = models.PositiveIntegerField("intervalo usual (s)", null=True, blank=True)
    silent_since = models.DateTimeField("sem pedidos novos desde", null=True, blank=True)
    silence_checked_at = models.DateTimeField("silêncio verificado em", null=True, blank=True)

    class Meta:
        verbose_name = "pulso de pedidos"
        verbose_name_plural = "pulsos de pedidos"
        indexes = [
            set_rows_index("silent_since", name="pulse_silent_idx"),
            SyncState.failing_index("pulse_import_failing_idx"),
        ]

    def __str__(self) -> str:
        return f"pedidos de {self.integration_id}"
