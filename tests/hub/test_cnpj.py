import pytest
from django.core.exceptions import ValidationError

from hub.cnpj import format_cnpj, is_valid_cnpj, normalize_cnpj, validate_cnpj
from hub.models import Seller


@pytest.mark.parametrize(
    "value",
    [
        "11.222.333/0001-81",
        "11222333000181",
        " 11 222 333 0001 81 ",
        "12.ABC.345/01DE-35",
        "12abc34501de35",
    ],
)
def test_valid_cnpjs_numeric_and_alphanumeric(value):
    assert is_valid_cnpj(value)


@pytest.mark.parametrize(
    "value",
    [
        "11.222.333/0001-82",
        "11222333000191",
        "00000000000000",
        "11111111111111",
        "1122233300018",
        "",
        "abc",
        "12.ABC.345/01DE-36",
        "12.ABC.345/01DE-3X",
    ],
)
def test_invalid_cnpjs(value):
    assert not is_valid_cnpj(value)


def test_validator_message_is_portuguese():
    with pytest.raises(ValidationError, match="CNPJ inválido"):
        validate_cnpj("11.222.333/0001-82")


def test_normalize_and_format():
    assert normalize_cnpj("11.222.333/0001-81") == "11222333000181"
    assert format_cnpj("11222333000181") == "11.222.333/0001-81"


@pytest.mark.django_db
def test_seller_stores_cnpj_without_punctuation_and_unique():
    seller = Seller.objects.create(name="A", cnpj="11.222.333/0001-81")
    assert seller.cnpj == "11222333000181"
    duplicate = Seller(name="B", cnpj="11222333000181")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
