"""Seller tenancy actions."""

from django.contrib.auth import get_user_model
from django.db import transaction

from hub.models import Membership, Seller


@transaction.atomic
def seller_create_with_user(
    *, name: str, cnpj: str, username: str, email: str, password: str
) -> Seller:
    """Creates a seller and its first user; validates the CNPJ (check digits) and uniqueness."""
    seller = Seller(name=name, cnpj=cnpj)
    seller.full_clean()
    seller.save()
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    Membership.objects.create(user=user, seller=seller)
    return seller
