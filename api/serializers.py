"""What the API shows of each object (never token material, never buyer data)."""

from rest_framework import serializers

from api.models import EventType
from api.services.outbox import iso
from api.sources import Order, health_of


class UtcDateTimeField(serializers.DateTimeField):
    """Every time in UTC with ``Z``, as the webhooks write it."""

    def to_representation(self, value):
        return iso(value)


class HealthSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=["expired", "import_failing", "silent", "renewal_retrying", "ok", "disconnected"]
    )
    label = serializers.CharField(
        help_text="O selo da página: Ativo, Token Expirado, Desconectada."
    )
    line = serializers.CharField(help_text="Por quê, numa frase (a causa).")
    orders_line = serializers.CharField(help_text="A última importação de pedidos, se houver.")


class IntegrationSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    marketplace = serializers.CharField()
    marketplace_name = serializers.CharField()
    account_name = serializers.CharField()
    status = serializers.ChoiceField(choices=["active", "expired", "disconnected"])
    health = serializers.SerializerMethodField()
    token_expires_at = UtcDateTimeField(source="access_token_expires_at", allow_null=True)
    last_renewed_at = UtcDateTimeField(allow_null=True)
    last_import_at = serializers.SerializerMethodField()
    silent_since = serializers.SerializerMethodField()
    import_failing_since = serializers.SerializerMethodField()

    @staticmethod
    def _pulse(integration):
        return getattr(integration, "order_pulse", None)

    def get_health(self, integration) -> HealthSerializer:
        health = health_of(integration, self._pulse(integration))
        return HealthSerializer(health).data

    def _pulse_time(self, integration, name: str) -> str | None:
        pulse = self._pulse(integration)
        return iso(getattr(pulse, name)) if pulse is not None else None

    def get_last_import_at(self, integration) -> str | None:
        return self._pulse_time(integration, "last_import_at")

    def get_silent_since(self, integration) -> str | None:
        return self._pulse_time(integration, "silent_since")

    def get_import_failing_since(self, integration) -> str | None:
        return self._pulse_time(integration, "import_failing_since")


class OrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.UUIDField(source="integration.public_id")
    marketplace = serializers.CharField()
    marketplace_order_id = serializers.CharField()
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=Order.Status.values)
    status_raw = serializers.CharField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    currency = serializers.CharField()
    created_at = UtcDateTimeField()
    updated_at = UtcDateTimeField(help_text="Quando o marketplace atualizou o pedido.")
    changed_at = UtcDateTimeField(
        source="imported_at", help_text="Quando o hub gravou o pedido: a ordem da paginação."
    )


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.UUIDField(source="integration.public_id")
    kind = serializers.CharField()
    label = serializers.CharField(source="get_kind_display")
    details = serializers.CharField()
    by_user = serializers.SerializerMethodField()
    created_at = UtcDateTimeField()

    def get_by_user(self, event) -> bool:
        return event.actor_id is not None


class WebhookEndpointSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    url = serializers.URLField()
    description = serializers.CharField()
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.values))
    enabled = serializers.BooleanField()
    disabled_at = UtcDateTimeField(allow_null=True)
    disabled_reason = serializers.CharField()
    created_at = UtcDateTimeField()


class OrderFilterSerializer(serializers.Serializer):
    cursor = serializers.CharField(required=False)
    limit = serializers.IntegerField(required=False, min_value=1)
    account = serializers.UUIDField(required=False)
    marketplace = serializers.CharField(required=False, max_length=32)
    status = serializers.ChoiceField(required=False, choices=Order.Status.values)
    created_from = serializers.DateTimeField(required=False)
    created_to = serializers.DateTimeField(required=False)


class EventFilterSerializer(serializers.Serializer):
    cursor = serializers.IntegerField(required=False, min_value=0, max_value=2**63 - 1)
    limit = serializers.IntegerField(required=False, min_value=1)
    account = serializers.UUIDField(required=False)
