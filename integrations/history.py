"""How the seller reads an integration's history: plain pt-BR, no internal details, by group."""

from dataclasses import dataclass

from integrations.models import IntegrationEvent

Kind = IntegrationEvent.Kind

SELLER_TEXT = {
    Kind.CONNECTED: "Integração conectada",
    Kind.REAUTHORIZED: "Token reativado",
    Kind.REFRESHED: "Token renovado automaticamente",
    Kind.REFRESH_FAILED: "Falha temporária ao renovar o token; o hub tentará de novo",
    Kind.EXPIRED: "Token expirado: é preciso reativar",
    Kind.REFRESH_LOST: "Renovação perdida: é preciso reativar (não foi causado por você)",
    Kind.ROTATION_CONFIRMED: "Renovação do token conferida com o marketplace",
    Kind.ORDERS_SILENT: "Sem pedidos novos há mais tempo que o usual (o token está válido)",
    Kind.ORDERS_RESUMED: "Pedidos novos voltaram a chegar",
    Kind.IMPORT_FAILING: "Falha ao importar pedidos",
    Kind.IMPORT_RECOVERED: "A importação de pedidos voltou a funcionar",
    Kind.PUSH_GAP: "Pedido encontrado pela auditoria sem notificação do marketplace (já importado)",
    Kind.REMOVED_FROM_LIST: "Integração removida da lista de Marketplaces",
    Kind.TOKEN_UNREADABLE: "Token expirado: é preciso reativar",
    Kind.WRONG_TENANT: "Reativação recusada",
    Kind.AUTHORIZATION_FAILED: "Reativação não concluída",
    Kind.DISCONNECTED: "Integração desconectada: os tokens foram apagados",
    Kind.ADMIN_ACTION: "Ação da equipe de suporte",
}
# Events that call for the seller's attention, shown with a warning mark.
TROUBLE = frozenset(
    {
        Kind.REFRESH_FAILED,
        Kind.EXPIRED,
        Kind.REFRESH_LOST,
        Kind.TOKEN_UNREADABLE,
        Kind.WRONG_TENANT,
        Kind.AUTHORIZATION_FAILED,
        Kind.ORDERS_SILENT,
        Kind.IMPORT_FAILING,
    }
)
# Events whose details are the seller-readable reason, and what follows it.
_WITH_REASON = {
    Kind.WRONG_TENANT: "Nada mudou",
    Kind.AUTHORIZATION_FAILED: "Nada mudou",
    Kind.IMPORT_FAILING: "O hub tenta de novo automaticamente",
}


@dataclass(frozen=True)
class HistoryFilter:
    slug: str  # the ?tipo= value
    label: str
    kinds: frozenset[str] | None  # None: every kind


FILTERS = (
    HistoryFilter("", "Tudo", None),
    HistoryFilter("problemas", "Problemas", TROUBLE),
    HistoryFilter(
        "renovacoes",
        "Renovações",
        frozenset(
            {Kind.REFRESHED, Kind.REFRESH_FAILED, Kind.ROTATION_CONFIRMED, Kind.REFRESH_LOST}
        ),
    ),
    HistoryFilter(
        "conexoes",
        "Conexões e reativações",
        frozenset(
            {
                Kind.CONNECTED,
                Kind.REAUTHORIZED,
                Kind.WRONG_TENANT,
                Kind.AUTHORIZATION_FAILED,
                Kind.DISCONNECTED,
                Kind.REMOVED_FROM_LIST,
            }
        ),
    ),
    HistoryFilter(
        "pedidos",
        "Pedidos",
        frozenset(
            {
                Kind.ORDERS_SILENT,
                Kind.ORDERS_RESUMED,
                Kind.IMPORT_FAILING,
                Kind.IMPORT_RECOVERED,
                Kind.PUSH_GAP,
            }
        ),
    ),
    HistoryFilter("suporte", "Suporte", frozenset({Kind.ADMIN_ACTION})),
)
FILTERS_BY_SLUG = {entry.slug: entry for entry in FILTERS}


@dataclass(frozen=True)
class SellerEntry:
    when: object  # datetime
    text: str
    trouble: bool


def seller_text(event: IntegrationEvent, *, viewer=None) -> str:
    text = SELLER_TEXT.get(event.kind, "Atualização da integração")
    if event.kind in _WITH_REASON and event.details:
        text = f"{text}: {event.details.rstrip('.')}. {_WITH_REASON[event.kind]}"
    if event.actor_id is None or event.kind == Kind.ADMIN_ACTION:
        return text
    if viewer is not None and event.actor_id == viewer.pk:
        return f"{text}, por você"
    if event.actor.is_staff:
        return f"{text}, pela equipe de suporte"
    return f"{text}, por {event.actor.get_full_name() or event.actor.get_username()}"


def seller_entries(events, *, viewer=None) -> list[SellerEntry]:
    return [
        SellerEntry(event.created_at, seller_text(event, viewer=viewer), event.kind in TROUBLE)
        for event in events
    ]
