"""`manage.py create_seller` takes the CNPJ with or without punctuation, as its help says."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hub.models import Seller


@pytest.mark.django_db
@pytest.mark.parametrize("cnpj", ["11.222.333/0001-81", "11222333000181", "12.abc.345/01de-35"])
def test_create_seller_accepts_the_cnpj_with_or_without_punctuation(cnpj, capsys):
    call_command(
        "create_seller",
        "--name=Loja Nova",
        f"--cnpj={cnpj}",
        "--username=maria",
        "--email=maria@loja.com.br",
        "--password=uma-senha-bem-comprida",
    )
    seller = Seller.objects.get()
    assert seller.cnpj == cnpj.replace(".", "").replace("/", "").replace("-", "").upper()
    assert seller.memberships.get().user.username == "maria"
    assert "Empresa criada: Loja Nova" in capsys.readouterr().out


@pytest.mark.django_db
def test_create_seller_still_refuses_a_wrong_check_digit_in_portuguese():
    with pytest.raises(CommandError, match="CNPJ inválido"):
        call_command(
            "create_seller",
            "--name=Loja Nova",
            "--cnpj=11.222.333/0001-82",
            "--username=maria",
            "--email=maria@loja.com.br",
        )
    assert not Seller.objects.exists()
