"""Staff users for the admin tests: a Suporte member (from the data migration) and a superuser."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The token keeper's "already queued" slots live in the cache; ids repeat across tests.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def support_user(db):
    user = UserFactory(membership=None, is_staff=True, username="suporte", email="suporte@hub.test")
    user.groups.add(Group.objects.get(name="Suporte"))
    return user


@pytest.fixture
def support_client(client, support_user):
    client.force_login(support_user)
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(
        membership=None, is_staff=True, is_superuser=True, username="root", email="root@hub.test"
    )


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client
