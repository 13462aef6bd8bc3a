"""The REST API, /api/v1/: thin views over the selectors, each scoped to the key's seller."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api import conf, cursor, selectors
from api.authentication import ApiKeyAuthentication, PerKeyThrottle, scoped
from api.models import Scope
from api.problems import problem_exception_handler
from api.schema import ScopedAutoSchema
from api.serializers import (
    EventFilterSerializer,
    EventSerializer,
    IntegrationSerializer,
    OrderFilterSerializer,
    OrderSerializer,
    WebhookEndpointSerializer,
)


class ApiView(APIView):
    """Key authentication, one scope, per-key throttling, problem details; GET only."""

    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [PerKeyThrottle]
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]
    schema = ScopedAutoSchema()
    scope = ""

    def get_permissions(self):
        return [scoped(self.scope)()]

    def get_exception_handler(self):
        return problem_exception_handler

    @property
    def seller(self):
        return self.request.auth.seller

    def limit(self, asked: int | None) -> int:
        return min(asked or conf.get("API_PAGE_SIZE"), conf.get("API_MAX_PAGE_SIZE"))


def _page(name: str, item):
    return inline_serializer(
        name=name,
        fields={
            "results": item(many=True),
            "next_cursor": serializers.CharField(
                allow_null=True, help_text="Passe em ?cursor= para a próxima página."
            ),
            "has_more": serializers.BooleanField(),
        },
    )


class IntegrationList(ApiView):
    """Each account with the health its page shows: state, label, cause, last import, silence."""

    scope = Scope.INTEGRATIONS_READ

    @extend_schema(
        summary="Contas conectadas e a saúde de cada uma",
        responses=inline_serializer(
            name="IntegrationList", fields={"results": IntegrationSerializer(many=True)}
        ),
    )
    def get(self, request):
        integrations = selectors.integrations_for_api(seller=self.seller)
        return Response({"results": IntegrationSerializer(integrations, many=True).data})


class OrderList(ApiView):
    """Orders in the order the hub stored them: an order written while you page (new, or
    updated after you read it) comes on a later page, never skipped; rows younger than a couple
    of seconds wait for the next call. Keep next_cursor to poll for changes later."""

    scope = Scope.ORDERS_READ

    @extend_schema(
        summary="Pedidos, na ordem em que o hub os gravou (changed_at, id)",
        parameters=[OrderFilterSerializer],
        responses=_page("OrderPage", OrderSerializer),
    )
    def get(self, request):
        query = OrderFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        after = cursor.decode(filters["cursor"]) if filters.get("cursor") else None
        limit = self.limit(filters.get("limit"))
        orders = selectors.orders_page(
            seller=self.seller, after=after, limit=limit + 1, filters=filters
        )
        has_more, orders = len(orders) > limit, orders[:limit]
        next_cursor = (
            cursor.encode(orders[-1].imported_at, orders[-1].pk)
            if orders
            else filters.get("cursor")
        )
        return _page_response(OrderSerializer(orders, many=True).data, next_cursor, has_more)


class EventList(ApiView):
    """The accounts' history (connected, renewed, expired, reactivated...), oldest first."""

    scope = Scope.INTEGRATIONS_READ

    @extend_schema(
        summary="Histórico das contas, do mais antigo ao mais novo",
        parameters=[EventFilterSerializer],
        responses=_page("EventPage", EventSerializer),
    )
    def get(self, request):
        query = EventFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        limit = self.limit(query.validated_data.get("limit"))
        after = query.validated_data.get("cursor")
        events = list(
            selectors.events_page(
                seller=self.seller,
                after=after,
                limit=limit + 1,
                account=query.validated_data.get("account"),
            )
        )
        has_more, events = len(events) > limit, events[:limit]
        next_cursor = str(events[-1].pk) if events else (str(after) if after else None)
        return _page_response(EventSerializer(events, many=True).data, next_cursor, has_more)


class WebhookList(ApiView):
    """The company's webhook endpoints and whether each is enabled."""

    scope = Scope.WEBHOOKS_MANAGE

    @extend_schema(
        summary="Webhooks cadastrados (sem o segredo)",
        responses=inline_serializer(
            name="WebhookList", fields={"results": WebhookEndpointSerializer(many=True)}
        ),
    )
    def get(self, request):
        endpoints = selectors.endpoints_for_api(seller=self.seller)
        return Response({"results": WebhookEndpointSerializer(endpoints, many=True).data})


def _page_response(results, next_cursor: str | None, has_more: bool) -> Response:
    """One page of a feed: its rows, where the next call resumes, and whether it has more."""
    return Response({"results": results, "next_cursor": next_cursor, "has_more": has_more})
