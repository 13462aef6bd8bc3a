"""What every fuzzed request must satisfy: never a 5xx, a 4xx explained in pt-BR, nothing stored
changed (on PostgreSQL, which refuses what SQLite lets through, NUL in text above all)."""

from hub.models import Membership, Seller
from integrations.models import AuthorizationAttempt, Integration, IntegrationEvent
from integrations.orders.models import Order, OrderPulse
from integrations.push.models import Notification, PushGap

PT_BR_REFUSALS = (
    "Nada foi alterado",
    "Não foi possível continuar",
    "Página não encontrada",
    "Acesso negado",
    "Pedido inválido",
    "Escolha qual conta",
    "Muitas tentativas",
    "Confira os filtros destacados",
)


def snapshot() -> dict:
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            Integration,
            AuthorizationAttempt,
            IntegrationEvent,
            Seller,
            Membership,
            Order,
            OrderPulse,
            Notification,
            PushGap,
        )
    }


def assert_handled(response) -> None:
    """Never a 5xx; a 4xx page in pt-BR (an empty 404/405 from a decorator is fine too)."""
    assert response.status_code < 500, response.status_code
    if 400 <= response.status_code < 500 and response.content and response.status_code != 405:
        body = response.content.decode(errors="replace")
        assert any(text in body for text in PT_BR_REFUSALS), body[:500]
