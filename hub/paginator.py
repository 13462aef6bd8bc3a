"""The admin lists' paginator: a big table's size from PostgreSQL's statistics, not a count,
and the pages of a whole table read by their ids first.

Counting a million rows takes longer than the rest of the page. An unfiltered, unsearched list of
a table PostgreSQL believes holds more than ``ESTIMATE_ABOVE`` rows shows the planner's estimate
(``pg_class.reltuples``, refreshed by autovacuum's ANALYZE, see
https://www.postgresql.org/docs/current/planner-stats.html) as "cerca de 1.000.000". Every other
list (filtered, searched, smaller, or on SQLite) is counted exactly. An estimate can be a little
off: the last page may come out short, or a few rows past it be reachable only through a filter
or a search.

An unfiltered list's page is read by its ids first (``WHERE id IN (SELECT id … OFFSET n LIMIT
50)``): the rows OFFSET skips are never joined to other tables nor read whole. A filtered one is
not, as the outer query would repeat the filters.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

ESTIMATE_ABOVE = 100_000
# {table} is a model's own table, quoted; the COUNT runs only for a table estimated small.
_ESTIMATE_OR_COUNT = (
    "SELECT c.reltuples::bigint, CASE WHEN c.reltuples > %s THEN NULL "
    "ELSE (SELECT COUNT(*) FROM {table}) END FROM pg_class c WHERE c.oid = %s::regclass"
)


class EstimatedCountPaginator(Paginator):
    estimated = False  # set by ``count``: the count is PostgreSQL's estimate

    @cached_property
    def count(self) -> int:
        if not self._whole_table() or connections[self.object_list.db].vendor != "postgresql":
            return super().count
        estimate, exact = self._estimate_or_count()
        if exact is not None:
            return exact
        self.estimated = True
        return estimate

    @property
    def approximate_count(self) -> int:
        """The estimate as shown, to two significant digits: 999,900 -> 1,000,000."""
        places = len(str(self.count)) - 2
        return round(self.count, -places) if places > 0 else self.count

    def _get_page(self, object_list, number, paginator):
        if self._whole_table():
            # The sliced query names only the ids; the whole rows are read for the page alone.
            object_list = self.object_list.filter(pk__in=object_list.values("pk"))
        return super()._get_page(object_list, number, paginator)

    def _whole_table(self) -> bool:
        if not isinstance(self.object_list, QuerySet):
            return False
        query = self.object_list.query
        return (
            not query.where
            and not query.distinct
            and query.group_by is None
            and not query.combinator
        )

    def _estimate_or_count(self) -> tuple[int, int | None]:
        """(estimate, exact count or None), in one statement: PostgreSQL evaluates the COUNT
        subquery only when the CASE needs it, that is for a table estimated small."""
        connection = connections[self.object_list.db]
        table = connection.ops.quote_name(self.object_list.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(_ESTIMATE_OR_COUNT.format(table=table), [ESTIMATE_ABOVE, table])
            return cursor.fetchone()
