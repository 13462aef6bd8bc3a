"""How the seller reads an integration's history: plain pt-BR, no internal details."""

from integrations.models import IntegrationEvent

Kind = IntegrationEvent.Kind

SELLER_TEXT = {
    Kind.CONNECTED: "Integração conectada",
    Kind.REAUTHORIZED: "Token reativado",
    Kind.REFRESHED: "Token renovado automaticamente",
    Kind.REFRESH_FAILED: "Falha temporária ao renovar o token; o hub tentará de novo",
    Kind.EXPIRED: "Token expirado: é preciso reativar",
    Kind.REFRESH_LOST: "Renovação perdida: é preciso reativar (não foi causado por você)",
    Kind.ROTATION_CONFIRMED: "Renovação do token conferida",
    Kind.ORDERS_SILENT: "Sem pedidos novos há mais tempo que o usual (o token está válido)",
    Kind.ORDERS_RESUMED: "Pedidos novos voltaram a chegar",
    Kind.TOKEN_UNREADABLE: "Token expirado: é preciso reativar",
    Kind.WRONG_TENANT: "Reativação recusada: foi escolhida outra conta",
    Kind.AUTHORIZATION_FAILED: "Reativação não concluída",
    Kind.DISCONNECTED: "Integração desconectada",
    Kind.ADMIN_ACTION: "Ação da equipe de suporte",
}


def seller_text(event: IntegrationEvent) -> str:
    return SELLER_TEXT.get(event.kind, "Atualização da integração")
