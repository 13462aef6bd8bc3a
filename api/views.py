"""The REST API, /api/v1/: thin views over the selectors, each scoped to the key's seller."""

from collections.abc import Callable, Iterable

from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
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


class WholeList(ApiView):
    """A short list read whole, without pages: {"results": [...]}. A subclass names its
    serializer, the selector that gives the seller's rows and the operation's summary; the
    schema names the response after the subclass."""

    serializer_class: type[serializers.Serializer]
    selector: Callable[..., Iterable]  # called with seller=, as a staticmethod
    summary = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        results = inline_serializer(
            name=cls.__name__, fields={"results": cls.serializer_class(many=True)}
        )
        extend_schema_view(get=extend_schema(summary=cls.summary, responses=results))(cls)

    # No docstring here: the schema describes each list by its own class's docstring.
    def get(self, request):
        rows = self.selector(seller=self.seller)
        return Response({"results": self.serializer_class(rows, many=True).data})


class IntegrationList(WholeList):
    """Each account with the health its page shows: state, label, cause, last import, silence."""

    scope = Scope.INTEGRATIONS_READ
    serializer_class = IntegrationSerializer
    summary = "Contas conectadas e a saúde de cada uma"
    selector = staticmethod(selectors.integrations_for_api)


class Feed(ApiView):
    """A feed read in pages, a keyset cursor between them: {"results", "next_cursor",
    "has_more"}. A subclass names its filters (the query string), its serializer, the schema's
    page name and summary; it reads the rows after the cursor and says where a row stands."""

    filter_class: type[serializers.Serializer]
    serializer_class: type[serializers.Serializer]
    page_name = ""
    summary = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        page = inline_serializer(
            name=cls.page_name,
            fields={
                "results": cls.serializer_class(many=True),
                "next_cursor": serializers.CharField(
                    allow_null=True, help_text="Passe em ?cursor= para a próxima página."
                ),
                "has_more": serializers.BooleanField(),
            },
        )
        schema = extend_schema(summary=cls.summary, parameters=[cls.filter_class], responses=page)
        extend_schema_view(get=schema)(cls)

    def rows(self, filters: dict, limit: int) -> Iterable:
        """The seller's rows after ``filters["cursor"]``, in cursor order, ``limit`` at most."""
        raise NotImplementedError

    def position(self, row) -> str:
        """The cursor that resumes after ``row``."""
        raise NotImplementedError

    # No docstring here: the schema describes each feed by its own class's docstring.
    def get(self, request):
        query = self.filter_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        asked = filters.get("limit") or conf.get("API_PAGE_SIZE")
        limit = min(asked, conf.get("API_MAX_PAGE_SIZE"))
        # One row past the page: it only tells whether there is more.
        rows = list(self.rows(filters, limit + 1))
        has_more, rows = len(rows) > limit, rows[:limit]
        # An empty page resumes where it started.
        start = filters.get("cursor")
        next_cursor = self.position(rows[-1]) if rows else (str(start) if start else None)
        results = self.serializer_class(rows, many=True).data
        return Response({"results": results, "next_cursor": next_cursor, "has_more": has_more})


class OrderList(Feed):
    """Orders in the order the hub stored them: an order written while you page (new, or
    updated after you read it) comes on a later page, never skipped; rows younger than a couple
    of seconds wait for the next call. Keep next_cursor to poll for changes later."""

    scope = Scope.ORDERS_READ
    filter_class = OrderFilterSerializer
    serializer_class = OrderSerializer
    page_name = "OrderPage"
    summary = "Pedidos, na ordem em que o hub os gravou (changed_at, id)"

    def rows(self, filters, limit):
        after = cursor.decode(filters["cursor"]) if filters.get("cursor") else None
        return selectors.orders_page(seller=self.seller, after=after, limit=limit, filters=filters)

    def position(self, order):
        return cursor.encode(order.imported_at, order.pk)


class EventList(Feed):
    """The accounts' history (connected, renewed, expired, reactivated...), oldest first."""

    scope = Scope.INTEGRATIONS_READ
    filter_class = EventFilterSerializer
    serializer_class = EventSerializer
    page_name = "EventPage"
    summary = "Histórico das contas, do mais antigo ao mais novo"

    def rows(self, filters, limit):
        return selectors.events_page(
            seller=self.seller,
            after=filters.get("cursor"),
            limit=limit,
            account=filters.get("account"),
        )

    def position(self, event):
        return str(event.pk)


class WebhookList(WholeList):
    """The company's webhook endpoints and whether each is enabled."""

    scope = Scope.WEBHOOKS_MANAGE
    serializer_class = WebhookEndpointSerializer
    summary = "Webhooks cadastrados (sem o segredo)"
    selector = staticmethod(selectors.endpoints_for_api)
