"""CNPJ: normalisation and check-digit validation.

Supports the numeric CNPJ and the alphanumeric one (Receita Federal, IN RFB 2.229/2024, issued from
July 2026): 12 characters in 0-9/A-Z then two numeric check digits; each character counts as its
ASCII code minus 48, with the usual modulo-11 weights.
"""

import re

from django.core.exceptions import ValidationError

_SHAPE = re.compile(r"^[0-9A-Z]{12}[0-9]{2}$")
_WEIGHTS_FIRST = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_WEIGHTS_SECOND = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def normalize_cnpj(value: str) -> str:
    """Drops punctuation and spaces, upper-cases: "12.ABC.345/01DE-35" -> "12ABC34501DE35"."""
    return re.sub(r"[\s./-]", "", value or "").upper()


def format_cnpj(value: str) -> str:
    v = normalize_cnpj(value)
    if len(v) != 14:
        return value
    return f"{v[:2]}.{v[2:5]}.{v[5:8]}/{v[8:12]}-{v[12:]}"


def _check_digit(chars: str, weights: tuple[int, ...]) -> str:
    total = sum((ord(c) - 48) * w for c, w in zip(chars, weights, strict=True))
    remainder = total % 11
    return "0" if remainder < 2 else str(11 - remainder)


def is_valid_cnpj(value: str) -> bool:
    v = normalize_cnpj(value)
    if not _SHAPE.match(v) or len(set(v)) == 1:
        return False
    first = _check_digit(v[:12], _WEIGHTS_FIRST)
    second = _check_digit(v[:12] + first, _WEIGHTS_SECOND)
    return v[12:] == first + second


def validate_cnpj(value: str) -> None:
    if not is_valid_cnpj(value):
        raise ValidationError(
            "CNPJ inválido: confira os números e os dígitos verificadores.", code="invalid_cnpj"
        )
