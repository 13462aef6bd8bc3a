"""Seller tenancy actions, and support staff accounts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hub.models import Membership, Seller

# Created, with its permissions, by the migration hub/migrations/0002_support_group.py.
SUPPORT_GROUP = "Suporte"


@transaction.atomic
def seller_create_with_user(
    *, name: str, cnpj: str, username: str, email: str, password: str | None = None
) -> Seller:
    """Creates a seller and its first user; validates the CNPJ (check digits) and uniqueness.

    Without ``password`` the user has none yet: the caller sends the invitation
    (``hub.invitations``) once this has committed.
    """
    seller = Seller(name=name, cnpj=cnpj)
    seller.full_clean()
    seller.save()
    # create_user(password=None) leaves an unusable password (Django's documented behaviour).
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    Membership.objects.create(user=user, seller=seller)
    return seller


@transaction.atomic
def support_user_create(*, username: str, email: str, password: str) -> AbstractUser:
    """Creates a staff user in the Suporte group: the admin, but no superuser powers."""
    user = get_user_model()(username=username, email=email, is_staff=True)
    user.set_password(password)
    user.full_clean(validate_unique=False)  # username rules, e-mail format; uniqueness below
    validate_password(password, user)
    try:
        with transaction.atomic():  # a savepoint: PostgreSQL aborts the transaction on a violation
            user.save()
    except IntegrityError as exc:
        raise ValidationError(
            f"Já existe um usuário com o nome “{username}”.", code="duplicate_username"
        ) from exc
    user.groups.add(Group.objects.get(name=SUPPORT_GROUP))
    return user
