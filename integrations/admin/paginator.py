"""The integrations list's pages in the trouble-first order, read segment by segment.

Each segment (integrations/selectors_trouble.py) is a filter PostgreSQL reads in order from an
index, so a page costs one LIMIT query per segment it spans instead of a sort of the whole table.
A segment that ends before the page starts is counted (an index-only count of its rows) only when
the page lies past it.
"""

from django.core.paginator import Page

from hub.paginator import EstimatedCountPaginator
from integrations.selectors_trouble import SEGMENT_ORDERING, trouble_segments


class TroubleFirstPaginator(EstimatedCountPaginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        # The estimated count of a whole table may fall short of the last rows: a full page
        # is read whenever the segments hold it.
        wanted = max(top - bottom, self.per_page if self.estimated else 0)
        return Page(self.rows(bottom, wanted), number, self)

    def rows(self, bottom: int, wanted: int) -> list:
        """``wanted`` rows from position ``bottom`` of the trouble-first order."""
        rows: list = []
        start = 0  # the position of the current segment's first row in the whole order
        for part in trouble_segments():
            need = wanted - len(rows)
            if need <= 0:
                break
            segment = self.object_list.filter(part.condition).order_by(*SEGMENT_ORDERING)
            offset = max(bottom - start, 0)
            if part.few or not offset:
                found = list(segment[offset : offset + need])
            else:
                # The page's ids first: the rows OFFSET skips are read from the index alone,
                # never joined to the seller and the pulse.
                found = list(segment.filter(pk__in=segment.values("pk")[offset : offset + need]))
            rows.extend(found)
            if found:
                start += offset + len(found)
            elif offset:
                start += segment.count()
        return rows
