"""Time as a seller reads it: "há 2 horas" (pt-BR, one unit), exact time in a title."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    """ "há 2 horas" for a moment in the past; "agora" for the last minute (or a future one)."""
    if value is None:
        return "—"
    if (timezone.now() - value).total_seconds() < 60:
        return "agora"
    return f"há {timesince(value, depth=1)}".replace("\xa0", " ")
