import itertools
import uuid
from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from hub.models import Membership, Seller
from integrations.models import Integration

_cnpj_bases = itertools.count(10_000_000_0001)


def valid_cnpj(base: int) -> str:
    """A valid numeric CNPJ for a 12-digit base (check digits computed)."""
    from hub.cnpj import _WEIGHTS_FIRST, _WEIGHTS_SECOND, _check_digit

    digits = f"{base:012d}"
    first = _check_digit(digits, _WEIGHTS_FIRST)
    return digits + first + _check_digit(digits + first, _WEIGHTS_SECOND)


class SellerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seller

    name = factory.Sequence(lambda n: f"Loja {n}")
    cnpj = factory.LazyFunction(lambda: valid_cnpj(next(_cnpj_bases)))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("senha-de-teste-123")
    membership = factory.RelatedFactory(
        "tests.factories.MembershipFactory", factory_related_name="user"
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    seller = factory.SubFactory(SellerFactory)


class IntegrationFactory(factory.django.DjangoModelFactory):
    """An Ativo Magalu integration with encrypted tokens expiring in two hours."""

    class Meta:
        model = Integration
        skip_postgeneration_save = True

    seller = factory.SubFactory(SellerFactory)
    marketplace = "magalu"
    external_id = factory.LazyFunction(lambda: str(uuid.uuid4()))
    account_name = factory.Sequence(lambda n: f"Empresa {n} Ltda")
    status = Integration.Status.ACTIVE
    access_token_expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=2))
    last_renewed_at = factory.LazyFunction(timezone.now)
    scopes = "open:order-order:read open:portfolio:read"

    @factory.post_generation
    def tokens(obj, create, extracted, **kwargs):
        access, refresh = extracted or (f"access-{obj.public_id}", f"refresh-{obj.public_id}")
        if obj.status == Integration.Status.ACTIVE:
            obj.set_tokens(access_token=access, refresh_token=refresh)
            if create:
                obj.save(update_fields=["access_token_ciphertext", "refresh_token_ciphertext"])

    class Params:
        expired = factory.Trait(
            status=Integration.Status.EXPIRED,
            access_token_expires_at=None,
            last_error="O ID Magalu recusou a renovação do token.",
        )
