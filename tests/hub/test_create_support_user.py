"""`manage.py create_support_user`: a staff user in the Suporte group, never a superuser."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError


def _create(capsys, *args: str) -> tuple[object, str]:
    call_command("create_support_user", *args)
    out = capsys.readouterr().out
    return get_user_model().objects.get(username="ana"), out


@pytest.mark.django_db
def test_the_support_user_opens_the_admin_with_the_groups_permissions(client, capsys):
    user, out = _create(capsys, "--username=ana", "--email=ana@hub.test")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Suporte"]
    support = Group.objects.get(name="Suporte")
    expected = {f"{p.content_type.app_label}.{p.codename}" for p in support.permissions.all()}
    assert user.get_all_permissions() == expected
    assert user.has_perm("integrations.can_refresh_now")
    assert not user.has_perm("hub.change_seller")
    assert "Usuário de suporte criado: ana (grupo Suporte)" in out

    # No --password: a random one is printed, and it logs in to the admin.
    password = re.search(r"Senha inicial de ana: (\S+)", out).group(1)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "ana", "password": password}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/admin/"
    assert response.status_code == 200
    assert response.context["user"] == user


@pytest.mark.django_db
def test_a_given_password_is_used_and_not_printed(capsys):
    user, out = _create(
        capsys, "--username=ana", "--email=ana@hub.test", "--password=Tr0ca-Isso-Logo"
    )
    assert user.check_password("Tr0ca-Isso-Logo")
    assert "Senha inicial" not in out and "Tr0ca-Isso-Logo" not in out


@pytest.mark.django_db
def test_a_duplicate_username_gets_a_clear_portuguese_error(capsys):
    _create(capsys, "--username=ana", "--email=ana@hub.test")
    with pytest.raises(CommandError, match="Já existe um usuário com o nome “ana”"):
        call_command("create_support_user", "--username=ana", "--email=outra@hub.test")
    assert get_user_model().objects.filter(username="ana").count() == 1


@pytest.mark.django_db
def test_a_weak_password_is_refused_in_portuguese():
    with pytest.raises(CommandError, match="Esta senha é muito curta"):
        call_command(
            "create_support_user", "--username=ana", "--email=a@hub.test", "--password=123"
        )
    assert not get_user_model().objects.filter(username="ana").exists()
