"""Model fields that mean the same thing wherever they appear: the seller a row belongs to, the
user it is for, the user who did something, the index of the few rows where a field is set.
Plain factories, so the migrations see ordinary fields and indexes."""

from django.conf import settings
from django.db import models


def seller_field(*, related_name: str = "+", on_delete=models.CASCADE) -> models.ForeignKey:
    """The seller (Empresa) the row belongs to: every seller page filters by it."""
    return models.ForeignKey(
        "hub.Seller", on_delete=on_delete, related_name=related_name, verbose_name="empresa"
    )


def user_field(*, related_name: str = "+", one_per_user: bool = False) -> models.ForeignKey:
    """The user the row is for (usuário): it goes when the user is deleted. ``one_per_user``
    allows one such row a user (a one-to-one field)."""
    field = models.OneToOneField if one_per_user else models.ForeignKey
    return field(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name="usuário",
    )


def acting_user_field(verbose_name: str, **options) -> models.ForeignKey:
    """Who did it: a user of the hub, or empty (the system did, or the user was deleted since;
    the row stays)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **options,
    )


def set_rows_index(field: str, *, name: str) -> models.Index:
    """An index of only the rows where ``field`` is set (a partial index): the few a filter or
    a sweep looks for stay cheap to find however large the table grows."""
    return models.Index(
        fields=[field], name=name, condition=models.Q(**{f"{field}__isnull": False})
    )
