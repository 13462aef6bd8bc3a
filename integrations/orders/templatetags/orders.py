"""Money as a Brazilian seller reads it: R$ 1.234,56."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def brl(value: Decimal | None, currency: str = "BRL") -> str:
    if value is None:
        return "—"
    whole, _, cents = f"{abs(value):,.2f}".partition(".")
    sign = "-" if value < 0 else ""
    symbol = "R$" if (currency or "BRL") == "BRL" else currency
    return f"{sign}{symbol} {whole.replace(',', '.')},{cents}"
