"""Time as a seller reads it ("há 2 horas", pt-BR, one unit), and a marketplace's warning
before the trip to its login screen."""

import re
from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

_STRESSED = re.compile(r"\*\*(.+?)\*\*")

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    """ "há 2 horas" for a moment in the past; "agora" for the last minute (or a future one)."""
    if value is None:
        return "—"
    if (timezone.now() - value).total_seconds() < 60:
        return "agora"
    return f"há {timesince(value, depth=1)}".replace("\xa0", " ")


@register.simple_tag
def provider_warning(provider, account_name: str = "") -> str:
    """The provider's ``warning`` as an alert: each paragraph escaped, then its **…** stressed
    and its "{account}" replaced by the (escaped) account name, when one is given."""
    account = format_html(" (“{}”)", account_name) if account_name else ""
    paragraphs = ((_paragraph(text, account),) for text in provider.warning)
    return format_html(
        '<div class="alert alert--warning">{}</div>', format_html_join("", "<p>{}</p>", paragraphs)
    )


def _paragraph(text: str, account: str) -> str:
    html = _STRESSED.sub(r"<strong>\1</strong>", escape(text)).replace("{account}", account)
    # Safe: the text was escaped before our own markup and the escaped account were put in.
    return mark_safe(html)  # noqa: S308  # nosec B308 B703
