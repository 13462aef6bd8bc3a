"""A moment as a seller reads it in a sentence (Brasília time)."""

from datetime import datetime

from django.utils import timezone


def hhmm(moment: datetime) -> str:
    """A time of today as "14:05", of another day as "05/12 14:05"."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localtime().date():
        return f"{local:%H:%M}"
    return f"{local:%d/%m %H:%M}"
