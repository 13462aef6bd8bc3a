"""The admin's search box: words and quoted phrases, and the rules for finding a seller."""

from django.db.models import Q, QuerySet
from django.utils.text import smart_split, unescape_string_literal

from hub.cnpj import is_valid_cnpj, normalize_cnpj
from hub.models import Membership


def search_terms(search_term: str) -> list[str]:
    """Words of the admin's search box, quoted phrases kept whole (as Django's own search)."""
    terms = []
    for bit in smart_split(search_term):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            terms.append(bit)
    return terms


def seller_search_q(term: str) -> Q:
    """The same rules for the sellers list: CNPJ, e-mail of a member, or part of the name."""
    if is_valid_cnpj(term):
        return Q(cnpj=normalize_cnpj(term))
    if "@" in term:
        return Q(pk__in=sellers_with_email(term))
    condition = Q(name__icontains=term)
    if cnpj := normalize_cnpj(term):
        condition |= Q(cnpj__contains=cnpj)
    return condition


def sellers_with_email(term: str) -> QuerySet:
    # An uncorrelated IN (one scan of the users, hashed), not a per-row EXISTS; no duplicate rows.
    return Membership.objects.filter(user__email__icontains=term).values("seller_id")
