"""The admin's search box: words and quoted phrases, the rules for finding a seller, and which
word a search looks up through PostgreSQL's trigram indexes (hub/migrations/0003 and 0005,
integrations/migrations/0006 and 0011). Names are compared without case or accents
(hub/folding.py)."""

from collections.abc import Callable

from django.db import connections
from django.db.models import Q, QuerySet
from django.utils.text import smart_split, unescape_string_literal

from hub.cnpj import is_valid_cnpj, normalize_cnpj
from hub.folding import fold
from hub.models import Membership

# pg_trgm looks a fragment up by its three-character pieces: a shorter one has none, and is
# found by reading the table (https://www.postgresql.org/docs/current/pgtrgm.html#PGTRGM-INDEX).
MIN_INDEXED_LENGTH = 3
# How far a word's matches are counted when choosing which word to look up (leading_term).
PROBE_CAP = 500


def folded_contains_q(path: str, term: str) -> Q:
    """``term`` in the text at ``path``, case and accents ignored ("Ipe" finds "Loja Ipê"),
    through the trigram indexes over ``hub_fold(…)`` on PostgreSQL."""
    return Q(**{f"{path}__folded__contains": fold(term)})


def search_terms(search_term: str) -> list[str]:
    """Words of the admin's search box, quoted phrases kept whole (as Django's own search)."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            terms.append(bit)
    return terms


def is_exact_seller_term(term: str) -> bool:
    """A whole CNPJ or an e-mail (any word with "@"): each has a lookup of its own."""
    return is_valid_cnpj(term) or "@" in term


def seller_fragment_q(term: str, *, via: str = "") -> Q:
    """Part of the seller's name (case and accents ignored), or of its CNPJ (punctuation
    ignored); ``via`` is the path to the seller from another model ("seller__")."""
    condition = folded_contains_q(f"{via}name", term)
    if cnpj := normalize_cnpj(term):
        condition |= Q(**{f"{via}cnpj__contains": cnpj})
    return condition


def seller_search_q(term: str, *, via: str = "") -> Q:
    """The rules for finding a seller: a whole CNPJ, the e-mail of a member, or part of the name
    or CNPJ; ``via`` as in ``seller_fragment_q``."""
    if is_valid_cnpj(term):
        return Q(**{f"{via}cnpj": normalize_cnpj(term)})
    if "@" in term:
        return Q(**{f"{via}pk__in": sellers_with_email(term)})
    return seller_fragment_q(term, via=via)


def sellers_with_email(term: str) -> QuerySet:
    # An uncorrelated IN, no duplicate rows; the users are found through user_email_trgm.
    return Membership.objects.filter(user__email__icontains=term).values("seller_id")


def filter_by_terms(
    queryset: QuerySet,
    terms: list[str],
    *,
    term_q: Callable[[str], Q],
    lookups: Callable[[str], dict[str, QuerySet]],
    exact: Callable[[str], bool],
) -> QuerySet:
    """Rows matching every word, as Django's own search, with one word looked up through the
    indexes.

    ``term_q(word)`` may span several tables (a seller's name OR the integration's legal name),
    and PostgreSQL reads whole tables for an OR across a join. ``lookups(word)`` finds the same
    rows table by table, each ``{path from the model: that table's matching rows}`` ("pk" for
    the model's own); the leading word is looked up that way, the other words only filter the
    rows it found.
    """
    lead = leading_term(terms, lookups=lookups, exact=exact)
    for position, term in enumerate(terms):
        if position == lead:
            queryset = queryset.filter(lookups_q(queryset.model, lookups(term)))
        else:
            queryset = queryset.filter(term_q(term))
    return queryset


def lookups_q(model, lookups: dict[str, QuerySet]) -> Q:
    """The model's rows a word's lookups found: a UNION of one branch per table, each served by
    that table's own indexes, then the model's by its foreign key (or primary key)."""
    branches = []
    for path, found in lookups.items():
        rows = found if path == "pk" else model._default_manager.filter(**{f"{path}__in": found})
        branches.append(rows.values("pk"))
    first, *others = branches
    return Q(pk__in=first.union(*others))


def leading_term(
    terms: list[str],
    *,
    lookups: Callable[[str], dict[str, QuerySet]],
    exact: Callable[[str], bool],
) -> int | None:
    """The position of the word to look up through the indexes: of the words long enough for
    a trigram index, the one whose lookups find the fewest rows ("Badefigo", not "Modas" or
    "Ltda"). With several such words, one statement counts each one's matches, up to PROBE_CAP
    per table. None when a word is exact (it has an index lookup of its own) or every word is
    too short (then the tables are read: the same rows, only slower).
    """
    if any(exact(term) for term in terms):
        return None
    candidates = [
        position for position, term in enumerate(terms) if len(term) >= MIN_INDEXED_LENGTH
    ]
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    found = match_counts([lookups(terms[position]) for position in candidates])
    return candidates[found.index(min(found))]


def match_counts(words: list[dict[str, QuerySet]]) -> list[int]:
    """Rows each word's lookups find, each table's counted up to PROBE_CAP, in one statement:
    a common word stops early (PostgreSQL reads until it has PROBE_CAP), a rare one is an index
    lookup."""
    columns, params, database = [], [], None
    for lookups in words:
        counts = []
        for found in lookups.values():
            sql, found_params = found.order_by().values("pk")[:PROBE_CAP].query.sql_with_params()
            # Django's own compiled, parameterised statement, counted.
            counts.append(f"(SELECT COUNT(*) FROM ({sql}) AS found)")  # noqa: S608  # nosec B608
            params.extend(found_params)
            database = found.db
        columns.append(" + ".join(counts))
    with connections[database].cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)}", params)
        return list(cursor.fetchone())
